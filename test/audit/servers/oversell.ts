import { type Line, problem, type Reply, type ShopLogic } from "./http-shop.js";
import { isReply, MemoryShopState, roundTrip } from "./memory-orders.js";

/**
 * Oversells: reserve reads each SKU's stock, checks it, and writes `read − count` back after a
 * round trip — the read-check-write without a lock. Concurrent reservations all read the same
 * stock, all pass the check, and the last write wins (lost updates, units sold twice).
 */
export function oversellShop(): ShopLogic {
  const state = new MemoryShopState();
  return {
    async reserve(owner, orderId, lines: readonly Line[]): Promise<Reply> {
      const unknown = state.unknownSku(lines);
      if (unknown !== undefined) return problem(400, "UNKNOWN_SKU", `No SKU ${unknown}.`);
      if (state.orders.has(orderId)) return problem(409, "DUPLICATE_PAYMENT_ORDER", `${orderId} exists.`);
      const read = lines.map((l) => state.stock.get(l.sku) ?? 0);
      await roundTrip();
      if (lines.some((l, i) => (read[i] ?? 0) < l.count)) return problem(409, "OUT_OF_STOCK", "Not enough stock.");
      for (const [i, l] of lines.entries()) state.stock.set(l.sku, (read[i] ?? 0) - l.count);
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
      if (order.status === "PAID") return problem(409, "ORDER_PAID", `${orderId} is paid.`);
      if (order.status === "RESERVED") {
        for (const l of order.lines) state.stock.set(l.sku, (state.stock.get(l.sku) ?? 0) + l.count);
        order.status = "CANCELLED";
      }
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
