/**
 * @module
 * The SQLite rows of SKUs and orders, and their conversion to and from the domain's values.
 */

import type { Order, OrderLine, OrderStatus, StockLevel } from "../../domain/types.js";

// The tables' rows and their mapping to the domain's records.

export interface SkuRow {
  product_stock_id: number;
  product_id: number;
  product_name: string;
  color: string;
  size: string;
  sale_price: number;
  initial: number;
  available: number;
  held: number;
  paid: number;
}

export interface OrderRow {
  payment_order_id: string;
  owner: string;
  status: OrderStatus;
  lines: string;
  amount: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
}

export const toLevel = (row: SkuRow): StockLevel => ({
  productStockId: row.product_stock_id,
  productId: row.product_id,
  productName: row.product_name,
  color: row.color,
  size: row.size,
  salePrice: row.sale_price,
  initial: row.initial,
  available: row.available,
  held: row.held,
  paid: row.paid,
});

export const toOrder = (row: OrderRow): Order => ({
  paymentOrderId: row.payment_order_id,
  owner: row.owner,
  status: row.status,
  lines: JSON.parse(row.lines) as OrderLine[],
  amount: row.amount,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  expiresAt: row.expires_at,
});

/** One argument list for the upsert and update statements: (id, productId, name, color, size, price, initial, available, held, paid). */
export const levelArgs = (l: StockLevel) =>
  [
    l.productStockId,
    l.productId,
    l.productName,
    l.color,
    l.size,
    l.salePrice,
    l.initial,
    l.available,
    l.held,
    l.paid,
  ] as const;
