/**
 * @module
 * Refuses to judge a phase whose stock read before it is not the stock the scenario declares.
 */

import type { Scenario } from "./types.js";

/**
 * Why a phase that starts from the scenario's given stock cannot be judged: the stock read before
 * it (by `how`, e.g. "--snapshot") is not what the scenario declares. Null when every SKU agrees.
 * Judging on other stock would call a correct server's refusals wrong and its final stock lost.
 */
export function declaredStockDiffers(
  scenario: Scenario,
  phase: string,
  read: ReadonlyMap<number, number>,
  how: string,
): string | null {
  const off = scenario.skus.filter((s) => read.get(s.productStockId) !== s.stock);
  if (off.length === 0) return null;
  const observed = off.map((s) => `SKU ${s.productStockId}: ${read.get(s.productStockId) ?? "none"}`).join(", ");
  const declared = off.map((s) => `SKU ${s.productStockId}: ${s.stock}`).join(", ");
  return `before phase "${phase}" ${how} reads ${observed}, but the scenario declares ${declared} — is the stock set? Pass --setup CMD (it gets the given stock as JSON on stdin), or set the stock before the run`;
}
