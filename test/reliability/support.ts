import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Full scale with STOCKPROOF_STRESS=1 (`npm run test:stress`); a smaller, never-zero scale in CI. */
export const stress = process.env.STOCKPROOF_STRESS === "1";
export const scale = <T>(ci: T, full: T): T => (stress ? full : ci);

export { prng } from "../helpers/prng.js";
export { runSeed } from "../helpers/seed.js";

export interface CatalogProduct {
  readonly productStockId: number;
  readonly stock: number;
}

/** Writes a catalog file (the spec's Catalog shape) and returns its path. */
export function writeCatalog(dir: string, products: readonly CatalogProduct[]): string {
  const path = join(dir, "catalog.json");
  const body = {
    products: products.map((p) => ({
      productStockId: p.productStockId,
      productId: p.productStockId,
      productName: `SKU ${p.productStockId}`,
      color: "NONE",
      size: "FREE",
      salePrice: 1000,
      stock: p.stock,
    })),
  };
  writeFileSync(path, JSON.stringify(body));
  return path;
}

/** Pids whose parent is `pid`, read from /proc (Linux). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // exited while we looked
    }
    // Field 4 is the parent pid; the command name (field 2) may hold spaces, so split after its ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[1]) === pid && fields[0] !== "Z") children.push(Number(entry));
  }
  return children;
}

/** Polls a condition until it holds or the deadline passes (then throws naming what was awaited). */
export async function waitUntil(what: string, condition: () => boolean, timeoutMs = 20_000, everyMs = 25) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface SkuFigures {
  readonly productStockId: number;
  readonly initial: number;
  readonly available: number;
  readonly held: number;
  readonly paid: number;
  readonly invariantHolds: boolean;
}

export interface OrderFigures {
  readonly paymentOrderId: string;
  readonly userName: string;
  readonly status: string;
  readonly lines: readonly { readonly productStockId: number; readonly count: number }[];
}

/**
 * Our own recomputation of the invariant from the orders, independent of the server's audit:
 * held = Σ counts of RESERVED orders, paid = Σ counts of PAID orders, available = initial − held − paid ≥ 0.
 * Returns one message per violation.
 */
export function recomputeInvariant(skus: readonly SkuFigures[], orders: readonly OrderFigures[]): string[] {
  const held = new Map<number, number>();
  const paid = new Map<number, number>();
  for (const order of orders) {
    const into = order.status === "RESERVED" ? held : order.status === "PAID" ? paid : undefined;
    if (into === undefined) continue;
    for (const line of order.lines) into.set(line.productStockId, (into.get(line.productStockId) ?? 0) + line.count);
  }
  const problems: string[] = [];
  for (const sku of skus) {
    const h = held.get(sku.productStockId) ?? 0;
    const p = paid.get(sku.productStockId) ?? 0;
    if (sku.held !== h) problems.push(`SKU ${sku.productStockId}: held ${sku.held}, orders say ${h}`);
    if (sku.paid !== p) problems.push(`SKU ${sku.productStockId}: paid ${sku.paid}, orders say ${p}`);
    if (sku.initial !== sku.available + h + p)
      problems.push(
        `SKU ${sku.productStockId}: initial ${sku.initial} ≠ available ${sku.available} + held ${h} + paid ${p}`,
      );
    if (sku.available < 0) problems.push(`SKU ${sku.productStockId}: available ${sku.available} < 0`);
    if (!sku.invariantHolds) problems.push(`SKU ${sku.productStockId}: the server's own audit fails`);
  }
  return problems;
}
