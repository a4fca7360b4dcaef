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
  /** Available units per SKU of the scenario, or null when not observed; `note` says how it settled. */
  observe(
    scenario: Scenario,
    expected: ReadonlyMap<number, number>,
  ): Promise<Result<ReadonlyMap<number, number> | null, string> & { readonly note?: string }>;
}

const sameStock = (a: ReadonlyMap<number, number>, b: ReadonlyMap<number, number>) =>
  a.size === b.size && [...a].every(([sku, units]) => b.get(sku) === units);

/**
 * Reads until two reads in a row agree, within `timeoutMs`: a snapshot that reads a replica may
 * lag the primary for a moment, and a stale read must not be called a lost update.
 */
export async function settledRead(
  read: () => Promise<Result<Map<number, number>, string>>,
  timeoutMs: number,
): Promise<Result<Map<number, number>, string> & { readonly note?: string }> {
  const started = performance.now();
  let previous = await read();
  if (!previous.ok) return previous;
  for (let reads = 2; ; reads++) {
    const next = await read();
    if (!next.ok) return next;
    const elapsed = Math.round(performance.now() - started);
    if (sameStock(previous.value, next.value)) {
      return reads === 2
        ? next
        : { ...next, note: `--snapshot settled after ${reads} reads (${elapsed} ms): the first reads disagreed.` };
    }
    if (elapsed >= timeoutMs) {
      return err(
        `--snapshot did not settle: ${reads} reads in ${elapsed} ms kept changing (last ${JSON.stringify(Object.fromEntries(next.value))}); raise --settle-timeout if the store lags longer.`,
      );
    }
    previous = next;
    // Poll, with a deadline, for the replica to catch up.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The --snapshot command when given, else the probe, else nothing. */
export function createStockObserver(options: {
  readonly target: string;
  readonly snapshotCommand: string | null;
  readonly probe: boolean;
  readonly requestTimeoutMs?: number;
  /** How long a lagging --snapshot may take to give the same answer twice [default 5 s]. */
  readonly settleTimeoutMs?: number;
}): StockObserver {
  if (options.snapshotCommand !== null) {
    const command = options.snapshotCommand;
    return {
      method: "snapshot-command",
      observe: (scenario) =>
        settledRead(
          () =>
            runSnapshotCommand(
              command,
              scenario.skus.map((s) => s.productStockId),
            ),
          options.settleTimeoutMs ?? 5_000,
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
