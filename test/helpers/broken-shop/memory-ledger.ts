import { type Level, type Line, orderReply, problem, type Reply, roundTrip, type ShopLedger } from "./ledger.js";

/** Design mistakes of a hand-rolled stock keeper; with none it keeps stock correctly. */
export interface StockFaults {
  /** Reserve reads each SKU's stock, awaits its "database", then writes what it read minus the count: oversell. */
  readonly oversell?: boolean;
  /**
   * How long that round trip takes, in ms (default: one event-loop turn). A real database takes
   * milliseconds; requests that do not arrive in one instant (JMeter's threads, each on its own
   * connection, released by a barrier) overlap only in such a window.
   */
  readonly roundTripMs?: number;
  /**
   * Cancel checks the order is RESERVED, awaits, then restores and marks it: two cancels of one order
   * both restore (double restore), and a pay landing in between is overwritten (paid and cancelled).
   */
  readonly doubleRestore?: boolean;
  /** How long the doubleRestore cancel's round trip takes, in ms (default: one event-loop turn). */
  readonly cancelRoundTripMs?: number;
  /** Refuses a reservation unless this many units would remain (a hidden safety stock). */
  readonly safetyStock?: number;
}

/** A refusal the shop words its own way instead of the reference's status and code. */
export type Refusal = "outOfStock" | "duplicate" | "unknownSku" | "notFound" | "foreignOrder" | "repeatCancel";
export type OwnCodes = Partial<Record<Refusal, { readonly status: number; readonly code: string }>>;

const referenceCodes: Record<Exclude<Refusal, "foreignOrder" | "repeatCancel">, { status: number; code: string }> = {
  outOfStock: { status: 409, code: "OUT_OF_STOCK" },
  duplicate: { status: 409, code: "DUPLICATE_PAYMENT_ORDER" },
  unknownSku: { status: 400, code: "UNKNOWN_SKU" },
  notFound: { status: 404, code: "ORDER_NOT_FOUND" },
};

interface Order {
  readonly owner: string;
  status: "RESERVED" | "PAID" | "CANCELLED";
  readonly lines: readonly Line[];
}

interface Sku {
  initial: number;
  available: number;
  held: number;
  paid: number;
}

/** Stock and orders in memory, with the chosen faults and codes. */
export function memoryLedger(faults: StockFaults = {}, codes: OwnCodes = {}): ShopLedger {
  const skus = new Map<number, Sku>();
  const orders = new Map<string, Order>();
  const refuse = (refusal: Refusal, detail: string): Reply => {
    const { status, code } = codes[refusal] ?? referenceCodes[refusal as keyof typeof referenceCodes];
    return problem(status, code, detail);
  };
  const sku = (id: number) => skus.get(id) as Sku;
  const move = (lines: readonly Line[], from: "available" | "held", to: "available" | "held" | "paid") => {
    for (const l of lines) {
      sku(l.sku)[from] -= l.count;
      sku(l.sku)[to] += l.count;
    }
  };
  /** The caller's order, or the refusal the shop gives for a missing or someone else's. */
  const owned = (owner: string, orderId: string): Order | Reply => {
    const order = orders.get(orderId);
    if (order !== undefined && order.owner !== owner && codes.foreignOrder !== undefined) {
      return refuse("foreignOrder", `Order ${orderId} belongs to someone else.`);
    }
    return order === undefined || order.owner !== owner ? refuse("notFound", `No order ${orderId}.`) : order;
  };
  const isReply = (value: Order | Reply): value is Reply => "body" in value;

  return {
    async reserve(owner, orderId, lines) {
      const unknown = lines.find((l) => !skus.has(l.sku));
      if (unknown !== undefined) return refuse("unknownSku", `No SKU ${unknown.sku}.`);
      if (orders.has(orderId)) return refuse("duplicate", `${orderId} exists.`);
      const keep = faults.safetyStock ?? 0;
      const seen = lines.map((l) => sku(l.sku).available);
      if (faults.oversell)
        await (faults.roundTripMs === undefined ? roundTrip() : new Promise((r) => setTimeout(r, faults.roundTripMs)));
      if (lines.some((l, i) => (seen[i] ?? 0) < l.count + keep)) return refuse("outOfStock", "Not enough stock.");
      for (const [i, l] of lines.entries()) {
        // Oversell writes back what it read before the round trip, losing other reservations' updates.
        sku(l.sku).available = (faults.oversell ? (seen[i] ?? 0) : sku(l.sku).available) - l.count;
        sku(l.sku).held += l.count;
      }
      orders.set(orderId, { owner, status: "RESERVED", lines });
      return orderReply(orderId, owner, "RESERVED", lines);
    },
    async pay(owner, orderId) {
      const order = owned(owner, orderId);
      if (isReply(order)) return order;
      if (order.status === "CANCELLED") return problem(409, "ORDER_CANCELLED", `${orderId} is cancelled.`);
      if (order.status === "RESERVED") {
        order.status = "PAID";
        move(order.lines, "held", "paid");
      }
      return orderReply(orderId, owner, order.status, order.lines);
    },
    async cancel(owner, orderId) {
      const order = owned(owner, orderId);
      if (isReply(order)) return order;
      if (order.status === "PAID") return problem(409, "ORDER_PAID", `${orderId} is paid.`);
      if (order.status === "CANCELLED" && codes.repeatCancel !== undefined) {
        return refuse("repeatCancel", `${orderId} is already cancelled.`);
      }
      if (order.status === "RESERVED") {
        if (faults.doubleRestore)
          await (faults.cancelRoundTripMs === undefined
            ? roundTrip()
            : new Promise((r) => setTimeout(r, faults.cancelRoundTripMs)));
        move(order.lines, "held", "available");
        order.status = "CANCELLED";
      }
      return orderReply(orderId, owner, order.status, order.lines);
    },
    async setStock(items) {
      for (const item of items) {
        const level = skus.get(item.productStockId) ?? { initial: 0, available: 0, held: 0, paid: 0 };
        level.available = item.quantity;
        level.initial = level.available + level.held + level.paid;
        skus.set(item.productStockId, level);
      }
    },
    async available() {
      return Object.fromEntries([...skus].map(([id, s]) => [id, s.available]));
    },
    levels: (): Level[] => [...skus].map(([productStockId, s]) => ({ productStockId, ...s })),
  };
}
