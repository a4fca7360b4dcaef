/**
 * @module
 * The in-memory store of the MSW handlers, the scenario oracle and unit tests; synchronous steps are atomic.
 */

import { isDue } from "../domain/ledger.js";
import type { Order, StockLevel } from "../domain/types.js";
import { createOverlay } from "./overlay.js";
import type { LedgerStore, StoreReader, StoreTx } from "./port.js";

const productKey = (productId: number, color: string, size: string) => `${productId}\u0000${color}\u0000${size}`;

/** In-memory store for MSW handlers, the scenario oracle and unit tests. Steps are atomic because they are synchronous. */
export function createMemoryStore(levels: readonly StockLevel[] = []): LedgerStore {
  const stock = new Map<number, StockLevel>();
  const byProduct = new Map<string, number>();
  const orders = new Map<string, Order>();
  const spent = new Map<string, number>();
  /** The latest expiry among the spent records swept away (see the SQLite store's spendTx). */
  let prunedThrough = Number.NEGATIVE_INFINITY;
  const kept = new Map<string, string>();
  // Expired records are swept when the map has doubled since the last sweep: amortised O(1) a call.
  let sweepAt = 1024;
  // RESERVED orders that can expire, so finding the due ones costs the live holds, not the whole history.
  const expiring = new Map<string, Order>();
  const putOrder = (order: Order) => {
    orders.set(order.paymentOrderId, order);
    if (order.status === "RESERVED" && order.expiresAt !== null) expiring.set(order.paymentOrderId, order);
    else expiring.delete(order.paymentOrderId);
  };

  const putStock = (level: StockLevel) => {
    const previous = stock.get(level.productStockId);
    if (previous !== undefined) {
      // Only if the old variant is still this SKU's: another SKU of the same write may have taken it.
      const key = productKey(previous.productId, previous.color, previous.size);
      if (byProduct.get(key) === level.productStockId) byProduct.delete(key);
    }
    stock.set(level.productStockId, level);
    byProduct.set(productKey(level.productId, level.color, level.size), level.productStockId);
  };
  for (const level of levels) putStock(level);

  const reader: StoreReader = {
    stock: (id) => stock.get(id),
    skuByProduct(productId, color, size) {
      const id = byProduct.get(productKey(productId, color, size));
      return id === undefined ? undefined : stock.get(id);
    },
    order: (id) => orders.get(id),
    dueOrders(now) {
      const due: Order[] = [];
      for (const order of expiring.values()) if (isDue(order, now)) due.push(order);
      return due.sort((a, b) => (a.expiresAt ?? 0) - (b.expiresAt ?? 0));
    },
  };

  const decide = <T>(step: (tx: StoreTx) => T): T => {
    const overlay = createOverlay(reader);
    const value = step(overlay.tx);
    const changes = overlay.changes();
    for (const level of changes.stock) putStock(level);
    for (const order of changes.orders) putOrder(order);
    return value;
  };

  return {
    decide,
    submit: async (step) => decide(step),
    snapshot: () => ({ stock: [...stock.values()], orders: [...orders.values()] }),
    replaceAll(next) {
      stock.clear();
      byProduct.clear();
      orders.clear();
      expiring.clear();
      for (const level of next) putStock(level);
    },
    spendToken(id, expiresAt, now) {
      if (spent.size >= sweepAt) {
        for (const [key, until] of spent) {
          if (until > now) continue;
          spent.delete(key);
          prunedThrough = Math.max(prunedThrough, until);
        }
        sweepAt = Math.max(1024, spent.size * 2);
      }
      // A token that expires no later than a forgotten record may be that record's: refused, whatever the clock says now.
      if (expiresAt <= now || expiresAt <= prunedThrough || spent.has(id)) return false;
      spent.set(id, expiresAt);
      return true;
    },
    keptValue(name, create) {
      let value = kept.get(name);
      if (value === undefined) {
        value = create();
        kept.set(name, value);
      }
      return value;
    },
    isEmpty: () => stock.size === 0 && orders.size === 0,
    close() {},
  };
}
