/**
 * @module
 * Loads a catalog file, or the demo catalog compiled in when no path is given.
 */

import { readFileSync } from "node:fs";
import { UsageError } from "../../base/config/errors.js";
import type { StockLevel } from "../domain/types.js";
import { catalogLevels, demoCatalogLevels, parseCatalog } from "./catalog-levels.js";

export { type CatalogFile, catalogLevels, parseCatalog } from "./catalog-levels.js";

/** The demo catalog shipped with stockproof: the seed's product (50 units) and products A (800) and B (1600). */
export const demoCatalogUrl = new URL("../../../catalog/demo.json", import.meta.url);

/** Reads a catalog file; without a path, the demo catalog (compiled in from catalog/demo.json, no file read). */
export function loadCatalog(path?: string | URL): StockLevel[] {
  if (path === undefined) return demoCatalogLevels();
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read the catalog ${String(path)}: ${(error as Error).message}`);
  }
  return catalogLevels(parseCatalog(text, String(path)));
}
