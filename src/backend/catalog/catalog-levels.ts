/**
 * @module
 * Parses and checks a catalog against the spec's schema and turns it into stock levels, without I/O.
 */

import { UsageError } from "../../base/config/errors.js";
import type { StockLevel } from "../domain/types.js";
import { describeVariant, findVariantClash } from "../domain/variants.js";
import { demoCatalog } from "../generated/demo-catalog.js";
import type { components } from "../generated/openapi.js";
import { validateSchema } from "../spec/request-validators.js";

export type CatalogFile = components["schemas"]["Catalog"];

/** Turns a catalog into stock levels, nothing held or paid. */
export function catalogLevels(catalog: CatalogFile): StockLevel[] {
  return catalog.products.map((p) => ({
    productStockId: p.productStockId,
    productId: p.productId,
    productName: p.productName,
    color: p.color,
    size: p.size,
    salePrice: p.salePrice ?? 0,
    initial: p.stock,
    available: p.stock,
    held: 0,
    paid: 0,
  }));
}

/** Validates a catalog against the spec's Catalog schema; throws a message naming the source and field. */
export function checkCatalog(data: unknown, source: string): CatalogFile {
  const checked = validateSchema<CatalogFile>("Catalog", data);
  if (!checked.ok)
    throw new UsageError(`${source} is not a valid catalog:\n  ${checked.errors.map((e) => e.message).join("\n  ")}`);
  const ids = new Set<number>();
  for (const product of checked.value.products) {
    if (ids.has(product.productStockId))
      throw new UsageError(`${source}: productStockId ${product.productStockId} appears twice`);
    ids.add(product.productStockId);
  }
  const clash = findVariantClash(checked.value.products);
  if (clash !== undefined) {
    throw new UsageError(
      `${source}: SKUs ${clash.first.productStockId} and ${clash.second.productStockId} are both ${describeVariant(clash.second)}; ` +
        "productInfoList lines name a SKU by productId + color + size, so give one of them another.",
    );
  }
  return checked.value;
}

/** Parses and validates catalog JSON text. */
export function parseCatalog(text: string, source: string): CatalogFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  return checkCatalog(data, source);
}

/** The demo catalog (catalog/demo.json, compiled in): the seed's product (50 units) and products A (800) and B (1600). */
export function demoCatalogLevels(): StockLevel[] {
  return catalogLevels(checkCatalog(demoCatalog, "the demo catalog"));
}
