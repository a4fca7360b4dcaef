// A team's own reset script, as `stockproof audit --setup` calls it: reads the scenario's `given`
// (JSON on stdin) and sets each SKU's stock through the shop's own endpoint, PUT /dev/stock.
// Usage: node dev-reset.mjs http://127.0.0.1:PORT
import { text } from "node:stream/consumers";

const base = process.argv[2];
const given = JSON.parse(await text(process.stdin));
const items = given.skus.map((s) => ({ productStockId: s.productStockId, quantity: s.stock }));
const response = await fetch(`${base}/dev/stock`, {
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ items }),
});
if (!response.ok) {
  console.error(`PUT ${base}/dev/stock answered ${response.status}: ${await response.text()}`);
  process.exit(1);
}
