/**
 * @module
 * Stages a step's writes over a reader (reads see them) so that the store applies them all at once.
 */

import type { Changes } from "../domain/ledger.js";
import { isDue } from "../domain/ledger.js";
import type { Order, StockLevel } from "../domain/types.js";
import type { StoreReader, StoreTx } from "./port.js";

/** A StoreTx over a reader, collecting staged rows (last write per key wins) for the store to apply. */
export function createOverlay(base: StoreReader): { tx: StoreTx; changes(): Changes } {
  const stock = new Map<number, StockLevel>();
  const orders = new Map<string, Order>();
  const tx: StoreTx = {
    stock: (id) => stock.get(id) ?? base.stock(id),
    skuByProduct(productId, color, size) {
      const found = base.skuByProduct(productId, color, size);
      return found === undefined ? undefined : (stock.get(found.productStockId) ?? found);
    },
    order: (id) => orders.get(id) ?? base.order(id),
    dueOrders: (now) =>
      base
        .dueOrders(now)
        .map((order) => orders.get(order.paymentOrderId) ?? order)
        .filter((order) => isDue(order, now)),
    stage(changes) {
      for (const level of changes.stock) stock.set(level.productStockId, level);
      for (const order of changes.orders) orders.set(order.paymentOrderId, order);
    },
  };
  return { tx, changes: () => ({ stock: [...stock.values()], orders: [...orders.values()] }) };
}
