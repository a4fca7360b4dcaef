import { setTimeout as sleep } from "node:timers/promises";
import { type Line, orderReply, problem, type Reply, type ShopLedger } from "../../helpers/broken-shop/ledger.js";

/**
 * What sets each variant apart:
 * - correct: holds released `ttlMs` after they are taken, by a sweeper and at every write; a pay of
 *   an expired hold answers 409 ORDER_EXPIRED; a cancel of one answers 200 and restores nothing.
 * - unguarded-pay: pay reads RESERVED, calls the payment gateway, then writes PAID without a state
 *   guard: a pay that straddles the expiry ends PAID while the sweeper already returned its stock.
 * - double-restore: a cancel of an expired hold restores its stock again (sweeper and cancel both).
 * - never-sweeps: the sweeper never runs; holds stay held for ever (pays still succeed).
 * - replay: paymentOrderId is an idempotency key — a repeated reservation by the same user with the
 *   same lines answers 200 with the original order and takes no stock. Holds never expire.
 * - replay-takes-twice: answers the repeat 200 too, but takes the stock again.
 */
export type ExpiringFault =
  | "correct"
  | "unguarded-pay"
  | "double-restore"
  | "never-sweeps"
  | "replay"
  | "replay-takes-twice";

export interface ExpiringShopOptions {
  readonly fault: ExpiringFault;
  /** null: holds never expire (the replay variants). */
  readonly ttlMs: number | null;
  /** The sweeper's period [default min(ttl, 200 ms)]. */
  readonly sweepMs?: number;
  /** How long the payment gateway takes [default 0; unguarded-pay wants a few hundred ms]. */
  readonly gatewayMs?: number;
}

type Status = "RESERVED" | "PAID" | "CANCELLED" | "EXPIRED";
interface Order {
  readonly id: string;
  readonly owner: string;
  readonly lines: readonly Line[];
  readonly expiresAt: number;
  status: Status;
}

const sameLines = (a: readonly Line[], b: readonly Line[]) =>
  a.length === b.length && a.every((l, i) => l.sku === b[i]?.sku && l.count === b[i]?.count);

/** An in-memory shop whose unpaid holds expire, with one fault (or none) chosen by `fault`. */
export function expiringShop(options: ExpiringShopOptions): ShopLedger {
  const stock = new Map<number, number>();
  const orders = new Map<string, Order>();
  const { fault, ttlMs } = options;
  const put = (lines: readonly Line[], sign: 1 | -1) => {
    for (const l of lines) stock.set(l.sku, (stock.get(l.sku) ?? 0) + sign * l.count);
  };
  const expire = (order: Order) => {
    order.status = "EXPIRED";
    put(order.lines, 1);
  };
  const sweep = () => {
    if (fault === "never-sweeps" || ttlMs === null) return;
    const now = Date.now();
    for (const order of orders.values()) if (order.status === "RESERVED" && order.expiresAt <= now) expire(order);
  };
  const timer =
    ttlMs === null || fault === "never-sweeps" ? null : setInterval(sweep, options.sweepMs ?? Math.min(ttlMs, 200));
  timer?.unref();
  const owned = (owner: string, id: string): Order | Reply => {
    const order = orders.get(id);
    return order === undefined || order.owner !== owner ? problem(404, "ORDER_NOT_FOUND", `No order ${id}.`) : order;
  };
  const isReply = (x: Order | Reply): x is Reply => "body" in x;
  const answer = (o: Order) => orderReply(o.id, o.owner, o.status, o.lines);

  return {
    async reserve(owner, orderId, lines) {
      sweep();
      const unknown = lines.find((l) => !stock.has(l.sku));
      if (unknown !== undefined) return problem(400, "UNKNOWN_SKU", `No SKU ${unknown.sku}.`);
      const existing = orders.get(orderId);
      if (existing !== undefined) {
        const replays = fault === "replay" || fault === "replay-takes-twice";
        if (!replays || existing.owner !== owner || !sameLines(existing.lines, lines))
          return problem(409, "DUPLICATE_PAYMENT_ORDER", `${orderId} exists.`);
        if (fault === "replay-takes-twice") {
          if (lines.some((l) => (stock.get(l.sku) ?? 0) < l.count))
            return problem(409, "OUT_OF_STOCK", "Not enough stock.");
          put(lines, -1);
        }
        return answer(existing);
      }
      if (lines.some((l) => (stock.get(l.sku) ?? 0) < l.count))
        return problem(409, "OUT_OF_STOCK", "Not enough stock.");
      put(lines, -1);
      const order: Order = {
        id: orderId,
        owner,
        lines,
        expiresAt: ttlMs === null ? Number.POSITIVE_INFINITY : Date.now() + ttlMs,
        status: "RESERVED",
      };
      orders.set(orderId, order);
      return answer(order);
    },
    async pay(owner, orderId) {
      if (fault !== "unguarded-pay") sweep();
      const order = owned(owner, orderId);
      if (isReply(order)) return order;
      if (order.status === "CANCELLED") return problem(409, "ORDER_CANCELLED", `${orderId} is cancelled.`);
      if (order.status === "EXPIRED") return problem(409, "ORDER_EXPIRED", `${orderId} expired.`);
      if (order.status === "PAID") return answer(order);
      if (fault === "unguarded-pay") {
        // Read RESERVED, call the gateway, write PAID: the sweeper may have run in between.
        await sleep(options.gatewayMs ?? 0);
        order.status = "PAID";
        return answer(order);
      }
      await sleep(options.gatewayMs ?? 0);
      sweep();
      // The state guard: only a hold still RESERVED becomes PAID (the status may have moved meanwhile).
      const status = order.status as Status;
      if (status === "CANCELLED") return problem(409, "ORDER_CANCELLED", `${orderId} is cancelled.`);
      if (status === "EXPIRED") return problem(409, "ORDER_EXPIRED", `${orderId} expired.`);
      if (status === "PAID") return answer(order);
      order.status = "PAID";
      return answer(order);
    },
    async cancel(owner, orderId) {
      sweep();
      const order = owned(owner, orderId);
      if (isReply(order)) return order;
      if (order.status === "PAID") return problem(409, "ORDER_PAID", `${orderId} is paid.`);
      if (order.status === "EXPIRED" && fault === "double-restore") {
        put(order.lines, 1);
        order.status = "CANCELLED";
      } else if (order.status === "RESERVED") {
        put(order.lines, 1);
        order.status = "CANCELLED";
      }
      return answer(order);
    },
    async setStock(items) {
      for (const item of items) stock.set(item.productStockId, item.quantity);
    },
    async available() {
      return Object.fromEntries(stock);
    },
    close() {
      if (timer !== null) clearInterval(timer);
    },
  };
}
