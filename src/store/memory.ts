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
  // Expired records are swept when the map has doubled since the last sweep: amortised O(1) a call.
  let sweepAt = 1024;

  const putStock = (level: StockLevel) => {
    const previous = stock.get(level.productStockId);
    if (previous !== undefined) byProduct.delete(productKey(previous.productId, previous.color, previous.size));
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
    dueOrders(now, limit) {
      const due: Order[] = [];
      for (const order of orders.values()) {
        if (order.status === "RESERVED" && order.expiresAt !== null && order.expiresAt <= now) due.push(order);
      }
      return due.sort((a, b) => (a.expiresAt ?? 0) - (b.expiresAt ?? 0)).slice(0, limit);
    },
  };

  const decide = <T>(step: (tx: StoreTx) => T): T => {
    const overlay = createOverlay(reader);
    const value = step(overlay.tx);
    const changes = overlay.changes();
    for (const level of changes.stock) putStock(level);
    for (const order of changes.orders) orders.set(order.paymentOrderId, order);
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
      for (const level of next) putStock(level);
    },
    spendToken(id, expiresAt, now) {
      if (spent.size >= sweepAt) {
        for (const [key, until] of spent) if (until <= now) spent.delete(key);
        sweepAt = Math.max(1024, spent.size * 2);
      }
      if (expiresAt <= now || spent.has(id)) return false;
      spent.set(id, expiresAt);
      return true;
    },
    isEmpty: () => stock.size === 0 && orders.size === 0,
    close() {},
  };
}
