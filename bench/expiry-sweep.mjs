#!/usr/bin/env node
// The cost of releasing expired holds, on the built code (npm run build first):
//   node bench/expiry-sweep.mjs [holds=10000]
// Prints how long releasing `holds` one-unit holds that fell due together takes (and in how many
// transactions), and what looking for due holds costs a write when none is due (the hot path).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createStockService } from "../dist/backend/service/stock-service.js";
import { createSqliteStore } from "../dist/backend/store/sqlite/store.js";

const holds = Number(process.argv[2] ?? 10_000);
const ttl = 60_000;
const skus = Math.ceil(holds / 1000);
const dir = mkdtempSync(join(tmpdir(), "stockproof-sweep-"));
const store = createSqliteStore({ path: join(dir, "sweep.db") });
const catalog = Array.from({ length: skus }, (_, i) => ({
  productStockId: 1 + i,
  productId: 1 + i,
  productName: `SKU ${1 + i}`,
  color: "",
  size: "",
  salePrice: 0,
  initial: 1000,
  available: 1000,
  held: 0,
  paid: 0,
}));
store.replaceAll(catalog);
let now = Date.UTC(2026, 0, 1);
const service = createStockService({ store, catalog, clock: () => now, rules: { holdTtlMs: ttl } });

for (let start = 0; start < holds; start += 1000) {
  const burst = [];
  for (let i = start; i < Math.min(holds, start + 1000); i++) {
    const line = { kind: "stock", productStockId: 1 + Math.floor(i / 1000), count: 1 };
    burst.push(service.reserve("u", { paymentOrderId: `P-${i}`, lines: [line], amount: "1" }));
  }
  for (const result of await Promise.all(burst)) if (!result.ok) throw new Error(JSON.stringify(result.error));
}

// Nothing due yet: what the look-up costs every write (inside one transaction, so only the query is timed).
const lookups = 20_000;
const idle = store.decide((tx) => {
  const started = performance.now();
  for (let i = 0; i < lookups; i++) if (tx.dueOrders(now, 100).length !== 0) throw new Error("something is due");
  return performance.now() - started;
});

now += ttl;
const started = performance.now();
let released = 0;
let transactions = 0;
for (let swept = service.sweep(); swept > 0; swept = service.sweep()) {
  released += swept;
  transactions++;
}
const sweepMs = performance.now() - started;
store.close();
rmSync(dir, { recursive: true, force: true });

console.log(`${released} of ${holds} due holds released in ${transactions} transaction(s): ${sweepMs.toFixed(1)} ms`);
console.log(`looking for due holds when none is due: ${((idle / lookups) * 1000).toFixed(2)} µs per write`);
