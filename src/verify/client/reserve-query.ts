/**
 * @module
 * The seed's reserve parameters, assembled in one place, and new payment order ids in the seed's shape.
 */

import type { components, operations } from "../../backend/generated/openapi.js";

/** One line of a reservation: which SKU and how many units. */
export type LineItem = Pick<components["schemas"]["ProductStockLine"], "productStockId" | "orderCount">;

export type ReserveQuery = operations["reserveStock"]["parameters"]["query"];

export interface ReserveOptions {
  /** Unique per reservation; default a fresh id in the seed's shape (P_<epoch ms>_<random>). */
  readonly paymentOrderId?: string;
  /** Recorded, not checked against the items (the seed's own sample disagrees); default "0". */
  readonly amount?: string;
  /** yyyyMMdd; default today (UTC). */
  readonly timestamp?: string;
  /** Default "itsdcode", as in the seed. */
  readonly storeId?: string;
  /** Default "itsdcode", as in the seed. */
  readonly merchantId?: string;
  /** Extra customData fields sent along (the seed's cart carries many); line items always come from `items`. */
  readonly customData?: Readonly<Record<string, unknown>>;
}

/** Every parameter of the reserve call; `customData` as the exact text to send, or an object to serialise. */
export interface ReserveParameterFields extends Omit<ReserveOptions, "customData"> {
  readonly customData: string | Readonly<Record<string, unknown>>;
}

/** A payment order id in the seed's shape, e.g. P_1624337711110_5f2c9e1a. */
export function newPaymentOrderId(): string {
  const random = globalThis.crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  return `P_${Date.now()}_${random}`;
}

const today = () => new Date().toISOString().slice(0, 10).replaceAll("-", "");

/**
 * The seed's reserve parameters, in the seed's order, with its defaults: the one place they are
 * assembled (the typed client, the scenario runner, the contract drive and the tests build on it).
 */
export function reserveParameters(fields: ReserveParameterFields): ReserveQuery {
  return {
    storeId: fields.storeId ?? "itsdcode",
    merchantId: fields.merchantId ?? "itsdcode",
    amount: fields.amount ?? "0",
    timestamp: fields.timestamp ?? today(),
    paymentOrderId: fields.paymentOrderId ?? newPaymentOrderId(),
    customData: typeof fields.customData === "string" ? fields.customData : JSON.stringify(fields.customData),
  };
}

/** customData carrying the items as productStockList (productInfoList null), after any extra fields. */
export function stockLineData(
  items: readonly LineItem[],
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    ...extra,
    productInfoList: null,
    productStockList: items.map((item) => ({ productStockId: item.productStockId, orderCount: item.orderCount })),
  };
}

/** The reserve call's query parameters: the seed's parameter set, with the items as customData.productStockList. */
export function reserveQuery(items: readonly LineItem[], options: ReserveOptions = {}): ReserveQuery {
  const { customData, ...fields } = options;
  return reserveParameters({ ...fields, customData: stockLineData(items, customData) });
}
