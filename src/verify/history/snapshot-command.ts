/**
 * @module
 * Runs `--snapshot CMD` and reads the available stock per SKU it prints, in either accepted shape.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import { runShellCommand } from "./shell-command.js";

/**
 * Reads available units per SKU from `--snapshot CMD`'s stdout. Two shapes are accepted:
 * `{"311191": 50, …}`, or `{"skus": [{"productStockId": 311191, "available": 50}, …]}` (the
 * reference's own snapshot body).
 */
export function parseSnapshotOutput(text: string, skus: readonly number[]): Result<Map<number, number>, string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return err(`its output is not JSON (${(error as Error).message}); print {"<productStockId>": <available>, …}`);
  }
  const found = new Map<number, number>();
  if (data !== null && typeof data === "object" && Array.isArray((data as { skus?: unknown }).skus)) {
    for (const row of (data as { skus: { productStockId?: unknown; available?: unknown }[] }).skus) {
      if (typeof row.productStockId === "number" && typeof row.available === "number") {
        found.set(row.productStockId, row.available);
      }
    }
  } else if (data !== null && typeof data === "object") {
    for (const [key, value] of Object.entries(data)) {
      if (typeof value === "number" && /^\d+$/.test(key)) found.set(Number(key), value);
    }
  }
  const missing = skus.filter((sku) => !found.has(sku));
  if (missing.length > 0) return err(`its output names no available stock for SKU ${missing.join(", ")}`);
  return ok(new Map(skus.map((sku) => [sku, found.get(sku) as number])));
}

/** Runs `--snapshot CMD` (the scenario's SKUs as JSON on stdin) and reads the available stock it prints. */
export async function runSnapshotCommand(
  command: string,
  skus: readonly number[],
  timeoutMs = 60_000,
): Promise<Result<Map<number, number>, string>> {
  const run = await runShellCommand(command, `${JSON.stringify({ skus })}\n`, timeoutMs);
  if (!run.ok) return err(`--snapshot failed: ${run.error}`);
  const parsed = parseSnapshotOutput(run.value.stdout, skus);
  return parsed.ok ? parsed : err(`--snapshot \`${command}\`: ${parsed.error}`);
}
