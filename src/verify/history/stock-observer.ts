/**
 * @module
 * How stock is seen after a phase: the --snapshot command (read until it settles), else the probe.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import { defaultReadLagMs, defaultSettleTimeoutMs } from "../../base/config/defaults.js";
import type { Scenario } from "../scenario/types.js";
import { runSnapshotCommand } from "./snapshot-command.js";
import { probeStock } from "./stock-probe.js";

export { availableOnlySnapshot } from "../scenario/admin.js";

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

export { defaultReadLagMs };

/**
 * Reads until the stock has stayed the same for `lagMs`, within `timeoutMs` more: a snapshot that
 * reads a replica may lag the primary, and two reads that agree are not a settled state when they
 * come faster than the replica refreshes (a correct server was called a lost update on such a read).
 */
export async function settledRead(
  read: () => Promise<Result<Map<number, number>, string>>,
  timeoutMs: number,
  lagMs = 0,
): Promise<Result<Map<number, number>, string> & { readonly note?: string }> {
  const started = performance.now();
  // A replica may not yet have the rows the setup just made (a SKU it names no stock for): a read
  // that fails is tried again until the stated lag has passed, then its error stands.
  let current = await read();
  const firstError = current.ok ? null : current.error;
  let failedReads = 0;
  while (!current.ok && performance.now() - started < lagMs) {
    failedReads++;
    await new Promise((resolve) => setTimeout(resolve, 100));
    current = await read();
  }
  if (!current.ok) return current;
  let stableSince = firstError === null ? started : performance.now();
  let changes = 0;
  for (let reads = 2; ; reads++) {
    const stableFor = performance.now() - stableSince;
    // Poll, with a deadline, for the replica to catch up.
    await new Promise((resolve) => setTimeout(resolve, Math.max(50, Math.min(250, lagMs - stableFor))));
    const before = performance.now();
    const next = await read();
    if (!next.ok) return next;
    const elapsed = Math.round(performance.now() - started);
    if (!sameStock(current.value, next.value)) {
      changes++;
      current = next;
      stableSince = before;
    } else if (performance.now() - stableSince >= lagMs) {
      // Said whenever one read was not enough: a change, or a first read that failed.
      const failed =
        firstError === null
          ? ""
          : ` Its first ${failedReads} read${failedReads === 1 ? "" : "s"} failed: ${firstError}`;
      return changes === 0 && firstError === null
        ? next
        : {
            ...next,
            note: `--snapshot settled after ${reads + failedReads} reads (${elapsed} ms): it changed ${changes} time${changes === 1 ? "" : "s"} after the requests ended, then held for ${Math.round(lagMs)} ms (--read-lag).${failed}`,
          };
    }
    if (elapsed >= timeoutMs + lagMs) {
      return err(
        `--snapshot did not settle: ${reads} reads in ${elapsed} ms kept changing (last ${JSON.stringify(Object.fromEntries(next.value))}); raise --settle-timeout if the store lags longer.`,
      );
    }
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
  /** How long the --snapshot's store may lag: the reads must agree over this window [default 1 s]. */
  readonly readLagMs?: number;
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
          options.settleTimeoutMs ?? defaultSettleTimeoutMs,
          options.readLagMs ?? defaultReadLagMs,
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
