/**
 * @module
 * The stock invariant per SKU: initial = available + held + paid, with held and paid as the orders say.
 */

import type { Order, StockLevel } from "./types.js";

export interface SkuAudit {
  readonly level: StockLevel;
  /** Units in RESERVED orders, summed over the orders. */
  readonly heldByOrders: number;
  /** Units in PAID orders, summed over the orders. */
  readonly paidByOrders: number;
  readonly holds: boolean;
}

/**
 * Checks, per SKU: initial = available + held + paid, available ≥ 0, and that held and paid
 * equal what the orders say — so a restore counted twice or a lost hold shows.
 */
export function auditStock(levels: readonly StockLevel[], orders: readonly Order[]): SkuAudit[] {
  const held = new Map<number, number>();
  const paid = new Map<number, number>();
  for (const order of orders) {
    const bucket = order.status === "RESERVED" ? held : order.status === "PAID" ? paid : undefined;
    if (bucket === undefined) continue;
    for (const line of order.lines)
      bucket.set(line.productStockId, (bucket.get(line.productStockId) ?? 0) + line.count);
  }
  return levels.map((level) => {
    const heldByOrders = held.get(level.productStockId) ?? 0;
    const paidByOrders = paid.get(level.productStockId) ?? 0;
    const holds =
      level.available >= 0 &&
      level.initial === level.available + level.held + level.paid &&
      level.held === heldByOrders &&
      level.paid === paidByOrders;
    return { level, heldByOrders, paidByOrders, holds };
  });
}
