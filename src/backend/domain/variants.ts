/**
 * @module
 * productId + color + size as a SKU's name in productInfoList lines, and the check that it names one SKU only.
 */

import type { Sku } from "./types.js";

/** What names a SKU in a productInfoList line, with the SKU it names. */
export type Variant = Pick<Sku, "productStockId" | "productId" | "color" | "size">;

/** Two SKUs that would share one productId + color + size. */
export interface VariantClash {
  readonly first: Variant;
  readonly second: Variant;
}

/** "productId 219622 BLACK/L": a variant as messages name it. */
export const describeVariant = (v: Variant) => `productId ${v.productId} ${v.color}/${v.size}`;

/**
 * productInfoList lines name a SKU by productId + color + size, so that triple must name one SKU:
 * the first two distinct SKUs of `skus` sharing it, in the order given, or undefined.
 * Entries with the same productStockId are the same SKU, not a clash.
 */
export function findVariantClash(skus: Iterable<Variant>): VariantClash | undefined {
  const seen = new Map<string, Variant>();
  for (const sku of skus) {
    // JSON keeps the key unambiguous whatever characters color and size hold.
    const key = JSON.stringify([sku.productId, sku.color, sku.size]);
    const first = seen.get(key);
    if (first !== undefined && first.productStockId !== sku.productStockId) return { first, second: sku };
    seen.set(key, sku);
  }
  return undefined;
}
