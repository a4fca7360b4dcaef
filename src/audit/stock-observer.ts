import { err, ok, type Result } from "../domain/types.js";
import type { StockSnapshot } from "../scenario/admin.js";
import type { Scenario } from "../scenario/types.js";
import { runSnapshotCommand } from "./snapshot-command.js";
import { probeStock } from "./stock-probe.js";

/** How the audit saw each SKU's stock after a phase. */
export type StockObservation = "snapshot" | "snapshot-command" | "probe" | "none";

export const observationLabel: Record<StockObservation, string> = {
  snapshot: "test-control snapshot (GET /__admin/snapshot)",
  "snapshot-command": "--snapshot command",
  probe: "probe through the public API (all-or-nothing reservations, each cancelled again)",
  none: "not observed",
};

export interface StockObserver {
  readonly method: Exclude<StockObservation, "snapshot">;
  /** Available units per SKU of the scenario, or null when not observed. */
  observe(
    scenario: Scenario,
    expected: ReadonlyMap<number, number>,
  ): Promise<Result<ReadonlyMap<number, number> | null, string>>;
}

/** The --snapshot command when given, else the probe, else nothing. */
export function createStockObserver(options: {
  readonly target: string;
  readonly snapshotCommand: string | null;
  readonly probe: boolean;
  readonly requestTimeoutMs?: number;
}): StockObserver {
  if (options.snapshotCommand !== null) {
    const command = options.snapshotCommand;
    return {
      method: "snapshot-command",
      observe: (scenario) =>
        runSnapshotCommand(
          command,
          scenario.skus.map((s) => s.productStockId),
        ),
    };
  }
  if (options.probe) {
    return {
      method: "probe",
      async observe(scenario, expected) {
        const probed = await probeStock(scenario, expected, {
          target: options.target,
          ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
        });
        return probed.ok ? ok(probed.value.available) : err(probed.error);
      },
    };
  }
  return { method: "none", observe: async () => ok(null) };
}

/**
 * A snapshot holding only what was observed: available units. held, paid and initial are not
 * known without the test-control API and are NaN; the invariant is not judged from it.
 */
export function availableOnlySnapshot(available: ReadonlyMap<number, number>, takenAt: number): StockSnapshot {
  return {
    takenAt,
    invariantHolds: true,
    skus: [...available].map(([productStockId, units]) => ({
      productStockId,
      available: units,
      initial: Number.NaN,
      held: Number.NaN,
      paid: Number.NaN,
      invariantHolds: true,
    })),
  };
}
