/**
 * @module
 * Every way a domain step can refuse, as values with codes, each with its kind and a message naming the thing.
 */

import { describeVariant, type Variant } from "./variants.js";

/** A SKU that lacked stock in an all-or-nothing reservation. */
export interface Shortage {
  readonly productStockId: number;
  readonly requested: number;
  readonly available: number;
}

/** Every way a domain step can refuse. The HTTP mapping lives in src/backend/http/problems.ts. */
export type DomainError =
  | { readonly code: "NO_LINE_ITEMS" }
  | { readonly code: "TOO_MANY_LINE_ITEMS"; readonly max: number; readonly got: number }
  | {
      readonly code: "INVALID_COUNT";
      readonly line: number;
      readonly min: number;
      readonly max: number;
      readonly got: number;
    }
  | { readonly code: "UNKNOWN_SKU"; readonly unknown: readonly string[] }
  | { readonly code: "OUT_OF_STOCK"; readonly shortages: readonly Shortage[] }
  | { readonly code: "DUPLICATE_PAYMENT_ORDER"; readonly paymentOrderId: string }
  | { readonly code: "ORDER_NOT_FOUND"; readonly paymentOrderId: string }
  | { readonly code: "ORDER_CANCELLED"; readonly paymentOrderId: string }
  | { readonly code: "ORDER_EXPIRED"; readonly paymentOrderId: string }
  | { readonly code: "ORDER_PAID"; readonly paymentOrderId: string }
  /** Setting stock would give two SKUs one productId + color + size; `first` is the one already there when either is. */
  | { readonly code: "SKU_CONFLICT"; readonly first: Variant; readonly second: Variant };

export type DomainErrorCode = DomainError["code"];

/**
 * What a refusal says about the request, whatever the transport: it is malformed or names nothing
 * that exists (invalid), its order is not there for this user (not-found), or it conflicts with
 * the current state of the stock or the order (conflict).
 */
export type RefusalKind = "invalid" | "not-found" | "conflict";

export const refusalKinds: Readonly<Record<DomainErrorCode, RefusalKind>> = {
  NO_LINE_ITEMS: "invalid",
  TOO_MANY_LINE_ITEMS: "invalid",
  INVALID_COUNT: "invalid",
  UNKNOWN_SKU: "invalid",
  OUT_OF_STOCK: "conflict",
  DUPLICATE_PAYMENT_ORDER: "conflict",
  ORDER_NOT_FOUND: "not-found",
  ORDER_CANCELLED: "conflict",
  ORDER_EXPIRED: "conflict",
  ORDER_PAID: "conflict",
  SKU_CONFLICT: "conflict",
};

/** One sentence naming the thing and what was wrong with it. */
export function describeDomainError(error: DomainError): string {
  switch (error.code) {
    case "NO_LINE_ITEMS":
      return "customData has no line items: give productStockList, or productInfoList when productStockList is null.";
    case "TOO_MANY_LINE_ITEMS":
      return `A reservation takes at most ${error.max} line items (got ${error.got}).`;
    case "INVALID_COUNT":
      return `Line ${error.line + 1}: the count must be an integer from ${error.min} to ${error.max} (got ${error.got}).`;
    case "UNKNOWN_SKU":
      return `Unknown SKU: ${error.unknown.join(", ")}. Nothing was reserved.`;
    case "OUT_OF_STOCK":
      return `${error.shortages
        .map((s) => `Not enough stock for SKU ${s.productStockId}: requested ${s.requested}, available ${s.available}.`)
        .join(" ")} Nothing was reserved.`;
    case "DUPLICATE_PAYMENT_ORDER":
      return `paymentOrderId ${error.paymentOrderId} has already been reserved.`;
    case "ORDER_NOT_FOUND":
      return `No order ${error.paymentOrderId} for this user.`;
    case "ORDER_CANCELLED":
      return `Order ${error.paymentOrderId} was cancelled and cannot be paid.`;
    case "ORDER_EXPIRED":
      return `Order ${error.paymentOrderId} expired and cannot be paid; its stock was returned.`;
    case "ORDER_PAID":
      return `Order ${error.paymentOrderId} is paid and cannot be cancelled.`;
    case "SKU_CONFLICT":
      return (
        `SKU ${error.first.productStockId} and SKU ${error.second.productStockId} would both be ${describeVariant(error.second)}, ` +
        `which productInfoList lines name; give SKU ${error.second.productStockId} another productId, color or size. Nothing was changed.`
      );
  }
}
