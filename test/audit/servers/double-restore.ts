import { problem, type ShopLogic } from "./http-shop.js";
import { isReply, MemoryShopState, roundTrip } from "./memory-orders.js";

/**
 * Restores twice: reserve and pay are atomic, but cancel reads the order's status, then (after a
 * round trip) restores the stock and writes CANCELLED. Two cancels of one order both read
 * RESERVED and both put the units back; a pay landing in between is overwritten by the cancel.
 */
export function doubleRestoreShop(): ShopLogic {
  const state = new MemoryShopState();
  return {
    async reserve(owner, orderId, lines) {
      const unknown = state.unknownSku(lines);
      if (unknown !== undefined) return problem(400, "UNKNOWN_SKU", `No SKU ${unknown}.`);
      if (state.orders.has(orderId)) return problem(409, "DUPLICATE_PAYMENT_ORDER", `${orderId} exists.`);
      if (lines.some((l) => (state.stock.get(l.sku) ?? 0) < l.count)) {
        return problem(409, "OUT_OF_STOCK", "Not enough stock.");
      }
      for (const l of lines) state.stock.set(l.sku, (state.stock.get(l.sku) ?? 0) - l.count);
      const order = { id: orderId, owner, lines, status: "RESERVED" as const };
      state.orders.set(orderId, order);
      return state.reply(order);
    },
    async pay(owner, orderId) {
      const order = state.owned(owner, orderId);
      if (isReply(order)) return order;
      if (order.status === "CANCELLED") return problem(409, "ORDER_CANCELLED", `${orderId} is cancelled.`);
      order.status = "PAID";
      return state.reply(order);
    },
    async cancel(owner, orderId) {
      const order = state.owned(owner, orderId);
      if (isReply(order)) return order;
      const status = order.status;
      await roundTrip();
      if (status === "PAID") return problem(409, "ORDER_PAID", `${orderId} is paid.`);
      if (status === "RESERVED") {
        for (const l of order.lines) state.stock.set(l.sku, (state.stock.get(l.sku) ?? 0) + l.count);
      }
      order.status = "CANCELLED";
      return state.reply(order);
    },
    async setStock(items) {
      state.setStock(items);
    },
    async available() {
      return state.available();
    },
  };
}
