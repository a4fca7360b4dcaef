/**
 * @module
 * The final stock `check` judges with: stated by --final-stock, or read by --snapshot, the admin API or a probe.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import { createAdmin, type StockSnapshot } from "../scenario/admin.js";
import { createTargetClient } from "../scenario/client.js";
import type { Scenario } from "../scenario/types.js";
import { runSnapshotCommand } from "./snapshot-command.js";
import { availableOnlySnapshot } from "./stock-observer.js";
import { probeStock } from "./stock-probe.js";

/** Where `check` takes the final stock from; at most one. */
export type FinalStockSource =
  | { readonly kind: "stated"; readonly text: string }
  | { readonly kind: "command"; readonly command: string }
  | { readonly kind: "admin"; readonly target: string; readonly adminKey: string }
  | { readonly kind: "probe"; readonly target: string };

/** Parses `--final-stock 800001=2,800002=5`: the available units the user states per SKU. */
export function parseFinalStock(text: string, scenario: Scenario): Result<Map<number, number>, string> {
  const stock = new Map<number, number>();
  const known = new Set(scenario.skus.map((s) => s.productStockId));
  for (const part of text.split(",")) {
    const m = /^\s*(\d+)\s*=\s*(-?\d+)\s*$/.exec(part);
    if (m === null)
      return err(`--final-stock takes SKU=units pairs, e.g. --final-stock 800001=2,800002=5 (got "${part}")`);
    const sku = Number(m[1]);
    if (!known.has(sku))
      return err(
        `--final-stock names SKU ${sku}, which the scenario does not have; its SKUs: ${[...known].join(", ")}`,
      );
    stock.set(sku, Number(m[2]));
  }
  const missing = [...known].filter((s) => !stock.has(s));
  if (missing.length > 0)
    return err(`--final-stock must give every SKU of the scenario; missing: ${missing.join(", ")}`);
  return ok(stock);
}

/** The final stock after every history ended, with a sentence saying how it was obtained. */
export async function finalStock(
  source: FinalStockSource,
  scenario: Scenario,
  /** The model's final stock, where a probe starts its search (computed only for a probe). */
  modelFinal: () => Readonly<Record<number, number>>,
): Promise<Result<{ snapshot: StockSnapshot; how: string }, string>> {
  const skus = scenario.skus.map((s) => s.productStockId);
  switch (source.kind) {
    case "stated": {
      const parsed = parseFinalStock(source.text, scenario);
      return parsed.ok
        ? ok({ snapshot: availableOnlySnapshot(parsed.value, 0), how: "stated with --final-stock" })
        : parsed;
    }
    case "command": {
      const run = await runSnapshotCommand(source.command, skus);
      return run.ok
        ? ok({ snapshot: availableOnlySnapshot(run.value, 0), how: `--snapshot \`${source.command}\`` })
        : run;
    }
    case "probe": {
      const predicted = modelFinal();
      const expected = new Map(skus.map((s) => [s, predicted[s] ?? 0]));
      const probed = await probeStock(scenario, expected, { target: source.target });
      return probed.ok
        ? ok({
            snapshot: availableOnlySnapshot(probed.value.available, 0),
            how: `probed through the public API of ${source.target} (${probed.value.requests} requests, each hold cancelled again)`,
          })
        : probed;
    }
    case "admin": {
      const controller = new AbortController();
      const client = createTargetClient({
        baseUrl: source.target,
        connections: 1,
        requestTimeoutMs: 10_000,
        signal: controller.signal,
        epoch: performance.now(),
      });
      try {
        const snap = await createAdmin(client, source.adminKey).snapshot(skus);
        return snap.ok
          ? ok({ snapshot: { ...snap.value, takenAt: 0 }, how: `test-control snapshot of ${source.target}` })
          : err(`${snap.error} Or pass --probe, --snapshot or --final-stock.`);
      } finally {
        await client.close();
      }
    }
  }
}
