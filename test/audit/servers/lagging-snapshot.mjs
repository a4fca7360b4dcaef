// A stock query that reads a replica one read behind the primary, as `stockproof audit --snapshot`
// calls it: each call prints what the previous call saw (the first call of a run: every SKU 0) and
// remembers what the shop's GET /dev/stock answers now.
// Usage: node lagging-snapshot.mjs http://127.0.0.1:PORT STATE_FILE
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const [base, state] = process.argv.slice(2);
const response = await fetch(`${base}/dev/stock`);
if (!response.ok) {
  console.error(`GET ${base}/dev/stock answered ${response.status}`);
  process.exit(1);
}
const now = await response.text();
const stale = existsSync(state)
  ? readFileSync(state, "utf8")
  : JSON.stringify(Object.fromEntries(Object.keys(JSON.parse(now)).map((sku) => [sku, 0])));
writeFileSync(state, now);
process.stdout.write(stale);
