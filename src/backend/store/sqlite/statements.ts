/** The store's prepared statements, made once per connection: the hot path binds them positionally. */
import type Database from "better-sqlite3";
import type { OrderRow, SkuRow } from "./rows.js";

type Stmt<P extends unknown[] = unknown[], R = unknown> = Database.Statement<P, R>;

/** Named so the declaration output can spell it: better-sqlite3's Statement is not exported by name. */
export interface Statements {
  readonly selectSku: Stmt<[number], SkuRow>;
  readonly selectSkuByProduct: Stmt<[number, string, string], SkuRow>;
  readonly selectOrder: Stmt<[string], OrderRow>;
  readonly selectDue: Stmt<[number], OrderRow>;
  readonly upsertSku: Stmt;
  readonly updateLevel: Stmt;
  readonly upsertOrder: Stmt;
  readonly pruneSpent: Stmt<[number]>;
  readonly latestPrunable: Stmt<[number], { latest: number | null }>;
  readonly selectKept: Stmt<[string], { value: string }>;
  readonly insertKept: Stmt<[string, string]>;
  readonly insertSpent: Stmt<[string, number]>;
  readonly allSkus: Stmt<[], SkuRow>;
  readonly allOrders: Stmt<[], OrderRow>;
  readonly countRows: Stmt<[], { n: number }>;
}

export function prepareStatements(db: Database.Database): Statements {
  return {
    selectSku: db.prepare<[number], SkuRow>("SELECT * FROM skus WHERE product_stock_id = ?"),
    selectSkuByProduct: db.prepare<[number, string, string], SkuRow>(
      "SELECT * FROM skus WHERE product_id = ? AND color = ? AND size = ? ORDER BY product_stock_id LIMIT 1",
    ),
    selectOrder: db.prepare<[string], OrderRow>("SELECT * FROM orders WHERE payment_order_id = ?"),
    // A range of the partial index orders_due: when nothing is due, one probe that finds no row.
    selectDue: db.prepare<[number], OrderRow>(
      "SELECT * FROM orders WHERE status = 'RESERVED' AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at",
    ),
    // Positional parameters: binding an object by name costs more than the statement on the hot path.
    upsertSku: db.prepare(
      `INSERT INTO skus (product_stock_id, product_id, product_name, color, size, sale_price, initial, available, held, paid)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (product_stock_id) DO UPDATE SET product_id = excluded.product_id, product_name = excluded.product_name,
         color = excluded.color, size = excluded.size, sale_price = excluded.sale_price, initial = excluded.initial,
         available = excluded.available, held = excluded.held, paid = excluded.paid`,
    ),
    updateLevel: db.prepare(
      `UPDATE skus SET product_id = ?, product_name = ?, color = ?, size = ?, sale_price = ?, initial = ?,
         available = ?, held = ?, paid = ? WHERE product_stock_id = ?`,
    ),
    upsertOrder: db.prepare(
      `INSERT INTO orders (payment_order_id, owner, status, lines, amount, created_at, updated_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (payment_order_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
    ),
    pruneSpent: db.prepare<[number]>("DELETE FROM spent_tokens WHERE expires_at <= ?"),
    latestPrunable: db.prepare<[number], { latest: number | null }>(
      "SELECT max(expires_at) AS latest FROM spent_tokens WHERE expires_at <= ?",
    ),
    selectKept: db.prepare<[string], { value: string }>("SELECT value FROM kept WHERE name = ?"),
    insertKept: db.prepare<[string, string]>(
      "INSERT INTO kept (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    ),
    insertSpent: db.prepare<[string, number]>(
      "INSERT INTO spent_tokens (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
    ),
    allSkus: db.prepare<[], SkuRow>("SELECT * FROM skus ORDER BY product_stock_id"),
    allOrders: db.prepare<[], OrderRow>("SELECT * FROM orders ORDER BY created_at, payment_order_id"),
    countRows: db.prepare<[], { n: number }>("SELECT (SELECT count(*) FROM skus) + (SELECT count(*) FROM orders) AS n"),
  };
}
