/**
 * @module
 * The JSON bodies of an order and of a stock snapshot, as the spec declares them.
 */

import type { Order } from "../domain/types.js";
import type { components } from "../generated/openapi.js";
import type { StockSnapshot } from "../service/stock-service.js";

type OrderBody = components["schemas"]["Order"];
type SnapshotBody = components["schemas"]["Snapshot"];

const iso = (ms: number) => new Date(ms).toISOString();

export function orderBody(order: Order): OrderBody {
  return {
    paymentOrderId: order.paymentOrderId,
    status: order.status,
    userName: order.owner,
    lines: order.lines.map((line) => ({ ...line })),
    amount: order.amount,
    createdAt: iso(order.createdAt),
    updatedAt: iso(order.updatedAt),
    expiresAt: order.expiresAt === null ? null : iso(order.expiresAt),
  };
}

export function snapshotBody(snapshot: StockSnapshot): SnapshotBody {
  return {
    takenAt: iso(snapshot.takenAt),
    invariantHolds: snapshot.invariantHolds,
    skus: snapshot.skus.map(({ level, holds }) => ({
      productStockId: level.productStockId,
      productId: level.productId,
      productName: level.productName,
      color: level.color,
      size: level.size,
      initial: level.initial,
      available: level.available,
      held: level.held,
      paid: level.paid,
      invariantHolds: holds,
    })),
    orders: snapshot.orders.map(orderBody),
  };
}
