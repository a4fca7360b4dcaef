/**
 * @module
 * The conformance drive: the catalogue's calls sent to a server, success and error paths, then the burst.
 */

import { createGivens, SetupError } from "../calls/givens.js";
import { type CallCase, canSend, catalogue, type Need } from "../calls/index.js";
import { burst } from "./conformance-burst.js";
import { type Call, caseOf } from "./drive-case.js";
import type { DriveSettings } from "./drive-settings.js";

export type { Credentials } from "../calls/index.js";
export type { Call, Case, Channel } from "./drive-case.js";
export { type DriveSettings, demoDriveSettings } from "./drive-settings.js";

/** What the drive can set up on any server: logins and orders through the public API, the rest when configured. */
function needsMet(settings: DriveSettings): ReadonlySet<Need> {
  const met: Need[] = ["buyer", "readOnly", "refreshToken", "readRefreshToken", "reserved", "paid", "cancelled"];
  if (settings.other !== null) met.push("other");
  if (settings.adminKey !== null) met.push("admin");
  return new Set(met);
}

/**
 * The catalogue's core calls the drive sends to this server, test-control API first (a known
 * starting point), then each operation's success and error paths in the catalogue's order.
 */
export function driveCalls(settings: DriveSettings): CallCase[] {
  const met = needsMet(settings);
  const core = catalogue.filter((c) => c.depth === "core" && canSend(c, met));
  const admin = core.filter((c) => c.needs.includes("admin"));
  return [...admin, ...core.filter((c) => !admin.includes(c))];
}

/** A call the drive could not send because the server refused what it needs (a login, an order). */
export interface Skipped {
  readonly operationId: string;
  readonly label: string;
  readonly reason: string;
}

/**
 * Every operation of the spec, on its success path and each error path the reference has, then the
 * burst. A call whose set-up the server refuses is skipped and passed to `onSkip`; the drive goes on.
 */
export async function drive(
  settings: DriveSettings,
  call: Call,
  onSkip: (s: Skipped) => void = () => {},
): Promise<void> {
  let serial = 0;
  const nextId = () => `conform-${settings.runId}-${++serial}`;
  const givens = createGivens({
    settings,
    nextId,
    // Set-up calls are catalogue calls too: they go through the proxy and are reported like any other.
    exec: (c, request) => call(caseOf(c, request, `${c.says} (set-up)`)),
  });
  const skipping = (operationId: string, label: string) => (error: unknown) => {
    if (!(error instanceof SetupError)) throw error;
    onSkip({ operationId, label, reason: error.message });
  };
  for (const c of driveCalls(settings)) {
    const given = await givens.resolve(c).catch(skipping(c.operationId, c.says));
    if (given !== undefined) await call(caseOf(c, await c.request(given)));
  }
  await burst(settings, call, givens).catch(skipping("reserveStock", "burst"));
}
