/** A SKU: one product in one colour and size, as the catalog describes it. */
export interface Sku {
  readonly productStockId: number;
  readonly productId: number;
  readonly productName: string;
  readonly color: string;
  readonly size: string;
  readonly salePrice: number;
}

/** Stock of one SKU. Invariant: initial = available + held + paid, available ≥ 0. */
export interface StockLevel extends Sku {
  readonly initial: number;
  readonly available: number;
  readonly held: number;
  readonly paid: number;
}

export type OrderStatus = "RESERVED" | "PAID" | "CANCELLED" | "EXPIRED";

export interface OrderLine {
  readonly productStockId: number;
  readonly productId: number;
  readonly productName: string;
  readonly color: string;
  readonly size: string;
  readonly count: number;
}

export interface Order {
  readonly paymentOrderId: string;
  readonly owner: string;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLine[];
  readonly amount: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly expiresAt: number | null;
}

/** A requested line before it is resolved against the catalog. */
export type LineRequest =
  | { readonly kind: "stock"; readonly productStockId: number; readonly count: number }
  | {
      readonly kind: "product";
      readonly productId: number;
      readonly color: string;
      readonly size: string;
      readonly count: number;
    };

export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });
