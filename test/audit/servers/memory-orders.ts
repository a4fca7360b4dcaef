import { type Line, orderReply, problem, type Reply } from "./http-shop.js";

export type Status = "RESERVED" | "PAID" | "CANCELLED";

export interface StoredOrder {
  readonly id: string;
  readonly owner: string;
  readonly lines: readonly Line[];
  status: Status;
}

/** Orders and stock kept in memory, shared by the in-memory test servers. */
export class MemoryShopState {
  readonly stock = new Map<number, number>();
  readonly orders = new Map<string, StoredOrder>();

  setStock(items: readonly { productStockId: number; quantity: number }[]): void {
    for (const item of items) this.stock.set(item.productStockId, item.quantity);
  }

  available(): Record<number, number> {
    return Object.fromEntries(this.stock);
  }

  unknownSku(lines: readonly Line[]): number | undefined {
    return lines.find((l) => !this.stock.has(l.sku))?.sku;
  }

  /** The order when it exists and belongs to the caller, else the reference's 404. */
  owned(owner: string, orderId: string): StoredOrder | Reply {
    const order = this.orders.get(orderId);
    if (order === undefined || order.owner !== owner) return problem(404, "ORDER_NOT_FOUND", `No order ${orderId}.`);
    return order;
  }

  reply(order: StoredOrder): Reply {
    return orderReply(order.id, order.owner, order.status, order.lines);
  }
}

export const isReply = (value: StoredOrder | Reply): value is Reply => "status" in value && "body" in value;

/** One round trip to a database: the moment another request can run in between. */
export const roundTrip = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
