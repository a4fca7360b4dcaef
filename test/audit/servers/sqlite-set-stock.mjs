// A reset script for a reference started without its test-control API, as `stockproof audit --setup`
// calls it: reads the scenario's `given` (JSON on stdin) and writes each SKU's stock straight into
// the reference's SQLite file, as the domain's setStock does (available = quantity; held and paid
// kept; initial = their sum). Usage: node sqlite-set-stock.mjs /path/to/stockproof.db
import { text } from "node:stream/consumers";
import Database from "better-sqlite3";

const given = JSON.parse(await text(process.stdin));
const db = new Database(process.argv[2]);
db.pragma("busy_timeout = 5000");
const update = db.prepare("UPDATE skus SET available = ?, initial = ? + held + paid WHERE product_stock_id = ?");
const insert = db.prepare(
  `INSERT INTO skus (product_stock_id, product_id, product_name, color, size, sale_price, initial, available, held, paid)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0)`,
);
db.transaction(() => {
  for (const s of given.skus) {
    const changed = update.run(s.stock, s.stock, s.productStockId).changes;
    if (changed === 0)
      insert.run(s.productStockId, s.productId, s.productName, s.color, s.size, s.salePrice, s.stock, s.stock);
  }
}).immediate();
db.close();
