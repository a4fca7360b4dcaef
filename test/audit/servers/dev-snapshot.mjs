// A team's own stock query, as `stockproof audit --snapshot` calls it: prints the available units
// per SKU as JSON ({"311191": 50, …}) from the shop's own endpoint, GET /dev/stock.
// Usage: node dev-snapshot.mjs http://127.0.0.1:PORT
const base = process.argv[2];
const response = await fetch(`${base}/dev/stock`);
if (!response.ok) {
  console.error(`GET ${base}/dev/stock answered ${response.status}`);
  process.exit(1);
}
process.stdout.write(await response.text());
