/**
 * @module
 * The pure stock ledger: reserve, pay, cancel and expire over a snapshot, each giving the reply and the writes.
 */

import type { DomainError, Shortage } from "./errors.js";
import { err, type LineRequest, type Order, type OrderLine, ok, type Result, type StockLevel } from "./types.js";
import { findVariantClash } from "./variants.js";

/** What a domain step may read: the state as it is inside the current transaction. */
export interface LedgerView {
  stock(productStockId: number): StockLevel | undefined;
  skuByProduct(productId: number, color: string, size: string): StockLevel | undefined;
  order(paymentOrderId: string): Order | undefined;
}

/** Rows a step wants written; the store applies them atomically with the step. */
export interface Changes {
  readonly stock: readonly StockLevel[];
  readonly orders: readonly Order[];
}

/** A decision: the reply and the writes. Writes may accompany an error (an expiry found on the way). */
export interface Outcome<T> {
  readonly result: Result<T, DomainError>;
  readonly changes: Changes;
}

export interface ReservationRules {
  readonly maxLines: number;
  readonly maxCount: number;
  /** Unpaid reservations expire after this many milliseconds; null keeps them forever. */
  readonly holdTtlMs: number | null;
}

export const defaultRules: ReservationRules = { maxLines: 50, maxCount: 1000, holdTtlMs: null };

export interface ReserveCommand {
  readonly paymentOrderId: string;
  readonly owner: string;
  readonly lines: readonly LineRequest[];
  readonly amount: string;
  readonly now: number;
}

export interface OrderCommand {
  readonly paymentOrderId: string;
  readonly owner: string;
  readonly now: number;
}

const none: Changes = { stock: [], orders: [] };

const refuse = <T>(error: DomainError, changes: Changes = none): Outcome<T> => ({ result: err(error), changes });

function describeLine(line: LineRequest): string {
  return line.kind === "stock" ? String(line.productStockId) : `productId ${line.productId} ${line.color}/${line.size}`;
}

/** Reserve every line or nothing. */
export function reserve(view: LedgerView, cmd: ReserveCommand, rules: ReservationRules): Outcome<Order> {
  if (cmd.lines.length === 0) return refuse({ code: "NO_LINE_ITEMS" });
  if (cmd.lines.length > rules.maxLines) {
    return refuse({ code: "TOO_MANY_LINE_ITEMS", max: rules.maxLines, got: cmd.lines.length });
  }
  for (const [index, line] of cmd.lines.entries()) {
    if (!Number.isSafeInteger(line.count) || line.count < 1 || line.count > rules.maxCount) {
      return refuse({ code: "INVALID_COUNT", line: index, min: 1, max: rules.maxCount, got: line.count });
    }
  }
  if (view.order(cmd.paymentOrderId) !== undefined) {
    return refuse({ code: "DUPLICATE_PAYMENT_ORDER", paymentOrderId: cmd.paymentOrderId });
  }

  // Resolve lines to SKUs and add up lines naming the same SKU, keeping first-seen order.
  const wanted = new Map<number, { level: StockLevel; count: number }>();
  const unknown: string[] = [];
  for (const line of cmd.lines) {
    const level =
      line.kind === "stock"
        ? view.stock(line.productStockId)
        : view.skuByProduct(line.productId, line.color, line.size);
    if (level === undefined) {
      unknown.push(describeLine(line));
      continue;
    }
    const entry = wanted.get(level.productStockId);
    wanted.set(level.productStockId, { level, count: (entry?.count ?? 0) + line.count });
  }
  if (unknown.length > 0) return refuse({ code: "UNKNOWN_SKU", unknown });

  const shortages: Shortage[] = [];
  for (const { level, count } of wanted.values()) {
    if (count > rules.maxCount) {
      return refuse({ code: "INVALID_COUNT", line: 0, min: 1, max: rules.maxCount, got: count });
    }
    if (level.available < count) {
      shortages.push({ productStockId: level.productStockId, requested: count, available: level.available });
    }
  }
  if (shortages.length > 0) return refuse({ code: "OUT_OF_STOCK", shortages });

  const lines: OrderLine[] = [];
  const stock: StockLevel[] = [];
  for (const { level, count } of wanted.values()) {
    lines.push({
      productStockId: level.productStockId,
      productId: level.productId,
      productName: level.productName,
      color: level.color,
      size: level.size,
      count,
    });
    stock.push({ ...level, available: level.available - count, held: level.held + count });
  }
  const order: Order = {
    paymentOrderId: cmd.paymentOrderId,
    owner: cmd.owner,
    status: "RESERVED",
    lines,
    amount: cmd.amount,
    createdAt: cmd.now,
    updatedAt: cmd.now,
    expiresAt: rules.holdTtlMs === null ? null : cmd.now + rules.holdTtlMs,
  };
  return { result: ok(order), changes: { stock, orders: [order] } };
}

/** Moves the held units of a RESERVED order elsewhere: back to available, or on to paid. */
function release(view: LedgerView, order: Order, to: "available" | "paid"): StockLevel[] {
  return order.lines.map((line) => {
    const level = view.stock(line.productStockId);
    if (level === undefined) throw new Error(`SKU ${line.productStockId} of order ${order.paymentOrderId} is missing`);
    return to === "available"
      ? { ...level, held: level.held - line.count, available: level.available + line.count }
      : { ...level, held: level.held - line.count, paid: level.paid + line.count };
  });
}

export function isDue(order: Order, now: number): boolean {
  return order.status === "RESERVED" && order.expiresAt !== null && order.expiresAt <= now;
}

/**
 * Every due order of `orders` → EXPIRED, its units back to available; the others are left alone.
 * One row per order and per SKU, however many orders fell due together.
 */
export function expireAll(view: LedgerView, orders: readonly Order[], now: number): Changes {
  const released = new Map<number, number>();
  const expired: Order[] = [];
  for (const order of orders) {
    if (!isDue(order, now)) continue;
    expired.push({ ...order, status: "EXPIRED", updatedAt: now });
    for (const line of order.lines) {
      released.set(line.productStockId, (released.get(line.productStockId) ?? 0) + line.count);
    }
  }
  const stock: StockLevel[] = [];
  for (const [productStockId, count] of released) {
    const level = view.stock(productStockId);
    if (level === undefined) throw new Error(`SKU ${productStockId} of an expiring order is missing`);
    stock.push({ ...level, held: level.held - count, available: level.available + count });
  }
  return { stock, orders: expired };
}

/** RESERVED past its expiry → EXPIRED, stock back to available. */
export function expire(view: LedgerView, order: Order, now: number): Outcome<Order> {
  const changes = expireAll(view, [order], now);
  return { result: ok(changes.orders[0] ?? order), changes };
}

function ownedOrder(view: LedgerView, cmd: OrderCommand): Order | undefined {
  const order = view.order(cmd.paymentOrderId);
  // Another user's order is indistinguishable from a missing one.
  return order !== undefined && order.owner === cmd.owner ? order : undefined;
}

/** The fake payment result: RESERVED → PAID; repeating it changes nothing. */
export function pay(view: LedgerView, cmd: OrderCommand): Outcome<Order> {
  const order = ownedOrder(view, cmd);
  if (order === undefined) return refuse({ code: "ORDER_NOT_FOUND", paymentOrderId: cmd.paymentOrderId });
  if (isDue(order, cmd.now)) {
    return refuse(
      { code: "ORDER_EXPIRED", paymentOrderId: order.paymentOrderId },
      expire(view, order, cmd.now).changes,
    );
  }
  switch (order.status) {
    case "PAID":
      return { result: ok(order), changes: none };
    case "CANCELLED":
      return refuse({ code: "ORDER_CANCELLED", paymentOrderId: order.paymentOrderId });
    case "EXPIRED":
      return refuse({ code: "ORDER_EXPIRED", paymentOrderId: order.paymentOrderId });
    case "RESERVED": {
      const paid: Order = { ...order, status: "PAID", updatedAt: cmd.now };
      return { result: ok(paid), changes: { stock: release(view, order, "paid"), orders: [paid] } };
    }
  }
}

/** RESERVED → CANCELLED with the stock restored once; repeating it, or cancelling an expired order, changes nothing. */
export function cancel(view: LedgerView, cmd: OrderCommand): Outcome<Order> {
  const order = ownedOrder(view, cmd);
  if (order === undefined) return refuse({ code: "ORDER_NOT_FOUND", paymentOrderId: cmd.paymentOrderId });
  if (isDue(order, cmd.now)) return expire(view, order, cmd.now);
  switch (order.status) {
    case "CANCELLED":
    case "EXPIRED":
      return { result: ok(order), changes: none };
    case "PAID":
      return refuse({ code: "ORDER_PAID", paymentOrderId: order.paymentOrderId });
    case "RESERVED": {
      const cancelled: Order = { ...order, status: "CANCELLED", updatedAt: cmd.now };
      return { result: ok(cancelled), changes: { stock: release(view, order, "available"), orders: [cancelled] } };
    }
  }
}

export interface SetStockItem extends StockLevelInput {
  readonly quantity: number;
}

/**
 * Sets the stock of every item (creating new SKUs), or nothing: refused with SKU_CONFLICT when two
 * SKUs — set here, or one set here and one already there — would share productId + color + size.
 * An item repeating a SKU applies on top of the earlier one.
 */
export function setStockLevels(view: LedgerView, items: readonly SetStockItem[]): Outcome<readonly StockLevel[]> {
  const next = new Map<number, StockLevel>();
  for (const item of items) {
    const existing = next.get(item.productStockId) ?? view.stock(item.productStockId);
    next.set(item.productStockId, setStock(existing, item, item.quantity));
  }
  // The SKUs already naming each new variant; those set here count with their new variant only.
  const holders: StockLevel[] = [];
  for (const level of next.values()) {
    const holder = view.skuByProduct(level.productId, level.color, level.size);
    if (holder !== undefined && !next.has(holder.productStockId)) holders.push(holder);
  }
  const clash = findVariantClash([...holders, ...next.values()]);
  if (clash !== undefined) return refuse({ code: "SKU_CONFLICT", ...clash });
  const levels = [...next.values()];
  return { result: ok(levels), changes: { stock: levels, orders: [] } };
}

/** Sets the available units of a SKU (creating it), keeping initial = available + held + paid. */
export function setStock(existing: StockLevel | undefined, sku: StockLevelInput, quantity: number): StockLevel {
  const held = existing?.held ?? 0;
  const paid = existing?.paid ?? 0;
  return {
    productStockId: sku.productStockId,
    productId: sku.productId ?? existing?.productId ?? sku.productStockId,
    productName: sku.productName ?? existing?.productName ?? `SKU ${sku.productStockId}`,
    color: sku.color ?? existing?.color ?? "",
    size: sku.size ?? existing?.size ?? "",
    salePrice: sku.salePrice ?? existing?.salePrice ?? 0,
    available: quantity,
    held,
    paid,
    initial: quantity + held + paid,
  };
}

export interface StockLevelInput {
  readonly productStockId: number;
  readonly productId?: number | undefined;
  readonly productName?: string | undefined;
  readonly color?: string | undefined;
  readonly size?: string | undefined;
  readonly salePrice?: number | undefined;
}
