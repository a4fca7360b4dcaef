/**
 * @module
 * Runs the team's own `--setup` command with a phase's given stock as JSON on stdin.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import { runShellCommand } from "../history/shell-command.js";
import type { Scenario, ScenarioSku } from "../scenario/types.js";

/** What `--setup CMD` reads on stdin before each scenario phase: the scenario's `given` stock. */
export interface GivenStock {
  readonly scenario: string;
  readonly phase: string;
  readonly skus: readonly ScenarioSku[];
}

export function givenStock(scenario: Scenario, phase: string): GivenStock {
  return {
    scenario: scenario.name,
    phase,
    skus: scenario.skus.map((s) => ({
      productStockId: s.productStockId,
      stock: s.stock,
      productId: s.productId,
      productName: s.productName,
      color: s.color,
      size: s.size,
      salePrice: s.salePrice,
    })),
  };
}

/** Runs the team's own reset command with the given stock as JSON on stdin. */
export async function runSetupCommand(
  command: string,
  given: GivenStock,
  timeoutMs = 60_000,
): Promise<Result<void, string>> {
  const run = await runShellCommand(command, `${JSON.stringify(given)}\n`, timeoutMs);
  return run.ok ? ok(undefined) : err(`--setup failed for ${given.scenario} (${given.phase}): ${run.error}`);
}
