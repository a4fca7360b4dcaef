/**
 * @module
 * Checks `backend.setStock()` items with the spec's schema, so it refuses what the API refuses.
 */

import type { components } from "../generated/openapi.js";
import { validateSchema } from "../spec/request-validators.js";

type StockItem = components["schemas"]["SetStockRequest"]["items"][number];

/** "items[2] (productStockId 311191)" for a field error's path, when the path is inside an item. */
function itemOf(path: string, items: unknown): string {
  const index = /^items\[(\d+)\]/.exec(path)?.[1];
  if (index === undefined || !Array.isArray(items)) return "";
  const item: unknown = items[Number(index)];
  const id =
    typeof item === "object" && item !== null ? (item as { productStockId?: unknown }).productStockId : undefined;
  return id === undefined ? ` (items[${index}])` : ` (items[${index}], productStockId ${String(id)})`;
}

/**
 * The items of `backend.setStock()`, checked with the spec's SetStockRequest schema — the one PUT
 * /__admin/stock answers 400 by — so the function refuses what the API refuses (a quantity of -3,
 * 1.5, NaN or 1e20) instead of leaving a stock the invariant cannot hold. Throws naming each item.
 */
export function checkedStockItems(items: readonly StockItem[]): StockItem[] {
  const checked = validateSchema<components["schemas"]["SetStockRequest"]>("SetStockRequest", { items });
  if (checked.ok) return checked.value.items;
  const reasons = checked.errors.map((error) => `${error.message}${itemOf(error.path, items)}`);
  throw new Error(
    `stockproof mock setStock: ${reasons.join("; ")}. Nothing was changed; give each item as PUT /__admin/stock takes it (quantity an integer from 0 to 1000000000).`,
  );
}
