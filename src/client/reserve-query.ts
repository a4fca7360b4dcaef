import type { components, operations } from "../generated/openapi.js";

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

/** A payment order id in the seed's shape, e.g. P_1624337711110_5f2c9e1a. */
export function newPaymentOrderId(): string {
  const random = globalThis.crypto.randomUUID().replaceAll("-", "").slice(0, 12);
  return `P_${Date.now()}_${random}`;
}

const today = () => new Date().toISOString().slice(0, 10).replaceAll("-", "");

/** The reserve call's query parameters: the seed's parameter set, with the items as customData.productStockList. */
export function reserveQuery(items: readonly LineItem[], options: ReserveOptions = {}): ReserveQuery {
  const customData = {
    ...options.customData,
    productInfoList: null,
    productStockList: items.map((item) => ({ productStockId: item.productStockId, orderCount: item.orderCount })),
  };
  return {
    storeId: options.storeId ?? "itsdcode",
    merchantId: options.merchantId ?? "itsdcode",
    amount: options.amount ?? "0",
    timestamp: options.timestamp ?? today(),
    paymentOrderId: options.paymentOrderId ?? newPaymentOrderId(),
    customData: JSON.stringify(customData),
  };
}
