/**
 * @module
 * The target's own stock commands (--setup, --snapshot) as the runner's hooks.
 */

import { givenStock, runSetupCommand } from "../verify/audit/stock-setup.js";
import { runSnapshotCommand } from "../verify/history/snapshot-command.js";
import { settledRead } from "../verify/history/stock-observer.js";
import type { RunOptions } from "../verify/scenario/runner.js";
import type { Scenario } from "../verify/scenario/types.js";

/** How long a --snapshot that reads a lagging replica may take to give the same answer twice. */
const settleMs = 5_000;

/**
 * The target's own stock commands as the runner's hooks: --setup sets the given stock before each
 * phase that starts from it, --snapshot reads available stock before and after each phase. With
 * --setup the stock is set by the command, not the test-control API.
 */
export function targetStock(
  scenario: Scenario,
  commands: { readonly setup?: string | undefined; readonly snapshot?: string | undefined },
): { scenario: Scenario; hooks: Pick<RunOptions, "setStock" | "readStock"> } {
  const { setup, snapshot } = commands;
  const skus = scenario.skus.map((s) => s.productStockId);
  return {
    scenario: setup === undefined ? scenario : { ...scenario, stockSetup: "declared" },
    hooks: {
      ...(setup === undefined
        ? {}
        : {
            setStock: async (phase: string) => {
              const done = await runSetupCommand(setup, givenStock(scenario, phase));
              return done.ok ? null : done.error;
            },
          }),
      ...(snapshot === undefined
        ? {}
        : { readStock: () => settledRead(() => runSnapshotCommand(snapshot, skus), settleMs) }),
    },
  };
}
