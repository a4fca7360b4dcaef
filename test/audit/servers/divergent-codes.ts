import { problem, type ShopLogic } from "./http-shop.js";
import { MemoryShopState } from "./memory-orders.js";

/**
 * Correct, with its own status codes: every operation is atomic (no await inside), but a repeated
 * cancel answers 409 ALREADY_CANCELLED (the reference: 200), another user's order 403 FORBIDDEN
 * (the reference: 404) and an unknown SKU 409 UNKNOWN_PRODUCT (the reference: 400).
 */
export function divergentCodesShop(): ShopLogic {
  const state = new MemoryShopState();
  const find = (owner: string, orderId: string) => {
    const order = state.orders.get(orderId);
    if (order === undefined) return problem(404, "NO_SUCH_ORDER", `No order ${orderId}.`);
    if (order.owner !== owner) return problem(403, "FORBIDDEN", `Order ${orderId} belongs to someone else.`);
    return order;
  };
  return {
    async reserve(owner, orderId, lines) {
      const unknown = state.unknownSku(lines);
      if (unknown !== undefined) return problem(409, "UNKNOWN_PRODUCT", `No SKU ${unknown}.`);
      if (state.orders.has(orderId)) return problem(409, "DUPLICATE_ORDER", `${orderId} exists.`);
      if (lines.some((l) => (state.stock.get(l.sku) ?? 0) < l.count)) return problem(409, "OUT_OF_STOCK", "Sold out.");
      for (const l of lines) state.stock.set(l.sku, (state.stock.get(l.sku) ?? 0) - l.count);
      const order = { id: orderId, owner, lines, status: "RESERVED" as const };
      state.orders.set(orderId, order);
      return state.reply(order);
    },
    async pay(owner, orderId) {
      const order = find(owner, orderId);
      if ("body" in order) return order;
      if (order.status === "CANCELLED") return problem(409, "ORDER_CANCELLED", `${orderId} is cancelled.`);
      order.status = "PAID";
      return state.reply(order);
    },
    async cancel(owner, orderId) {
      const order = find(owner, orderId);
      if ("body" in order) return order;
      if (order.status === "PAID") return problem(409, "ORDER_PAID", `${orderId} is paid.`);
      if (order.status === "CANCELLED") return problem(409, "ALREADY_CANCELLED", `${orderId} is already cancelled.`);
      for (const l of order.lines) state.stock.set(l.sku, (state.stock.get(l.sku) ?? 0) + l.count);
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
