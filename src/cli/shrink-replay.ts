/**
 * @module
 * The command line that replays a shrunk scenario the way it was run, naming secrets by their variables.
 */

import { defaultAdminKey } from "../base/config/defaults.js";
import type { Credentials } from "../verify/audit/credentials.js";
import type { StockSetup } from "../verify/audit/scenario-audit.js";
import type { Scenario } from "../verify/scenario/types.js";

/** A shell word: left bare when it is safe, else single-quoted. */
const word = (text: string) => (/^[A-Za-z0-9_./:@=,+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`);

export interface ReplayInput {
  readonly file: string;
  readonly target: string;
  readonly setup: StockSetup;
  readonly snapshot: string | null;
  readonly adminKey: string | null;
  readonly speed: number;
  readonly credentials: Credentials;
  readonly scenario: Scenario;
}

/**
 * The command that replays the written scenario the way it was run: `run` when the test-control
 * API set the stock, else `audit --scenarios` with the same --setup and --snapshot (run has no
 * set-up command). Secrets are never written: a key or users given are named by their variable.
 */
export function replayCommand(input: ReplayInput): string {
  const parts =
    input.setup.kind === "admin"
      ? ["stockproof", "run", word(input.file), "--target", word(input.target)]
      : ["stockproof", "audit", "--scenarios", word(input.file), "--target", word(input.target)];
  if (input.setup.kind === "command") parts.push("--setup", word(input.setup.command));
  if (input.snapshot !== null) parts.push("--snapshot", word(input.snapshot));
  if (input.adminKey === null) parts.push("--no-admin");
  else if (input.adminKey !== defaultAdminKey) parts.push("--admin-key", '"$STOCKPROOF_ADMIN_KEY"');
  if (input.credentials.users !== undefined) parts.push("--users", '"$STOCKPROOF_USERS"');
  if (input.credentials.clientId !== undefined) parts.push("--client", '"$STOCKPROOF_CLIENT"');
  const spread = input.scenario.phases.some((p) => p.traffic.shape === "rate");
  if (spread && input.speed !== 1) parts.push("--speed", String(input.speed));
  return parts.join(" ");
}
