import Database from "better-sqlite3";
import type { Order, OrderLine, OrderStatus, StockLevel } from "../../domain/types.js";
import { createOverlay } from "../overlay.js";
import { type LedgerStore, StoreBusyError, type StoreReader, type StoreTx } from "../port.js";
import { prepareDatabase } from "./schema.js";

export interface SqliteStoreOptions {
  /** A file path, or ":memory:". */
  readonly path: string;
  /** How long a writer waits for the lock before SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
}

interface SkuRow {
  product_stock_id: number;
  product_id: number;
  product_name: string;
  color: string;
  size: string;
  sale_price: number;
  initial: number;
  available: number;
  held: number;
  paid: number;
}

interface OrderRow {
  payment_order_id: string;
  owner: string;
  status: OrderStatus;
  lines: string;
  amount: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
}

const toLevel = (row: SkuRow): StockLevel => ({
  productStockId: row.product_stock_id,
  productId: row.product_id,
  productName: row.product_name,
  color: row.color,
  size: row.size,
  salePrice: row.sale_price,
  initial: row.initial,
  available: row.available,
  held: row.held,
  paid: row.paid,
});

const toOrder = (row: OrderRow): Order => ({
  paymentOrderId: row.payment_order_id,
  owner: row.owner,
  status: row.status,
  lines: JSON.parse(row.lines) as OrderLine[],
  amount: row.amount,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  expiresAt: row.expires_at,
});

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

/** The SQLite store: WAL, prepared statements, every write in BEGIN IMMEDIATE; safe with several processes on one file. */
export function createSqliteStore(options: SqliteStoreOptions): LedgerStore {
  const db = new Database(options.path);
  prepareDatabase(db, options.busyTimeoutMs ?? 5000);

  const selectSku = db.prepare<[number], SkuRow>("SELECT * FROM skus WHERE product_stock_id = ?");
  const selectSkuByProduct = db.prepare<[number, string, string], SkuRow>(
    "SELECT * FROM skus WHERE product_id = ? AND color = ? AND size = ? ORDER BY product_stock_id LIMIT 1",
  );
  const selectOrder = db.prepare<[string], OrderRow>("SELECT * FROM orders WHERE payment_order_id = ?");
  const selectDue = db.prepare<[number, number], OrderRow>(
    "SELECT * FROM orders WHERE status = 'RESERVED' AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?",
  );
  const upsertSku = db.prepare(
    `INSERT INTO skus (product_stock_id, product_id, product_name, color, size, sale_price, initial, available, held, paid)
     VALUES (@productStockId, @productId, @productName, @color, @size, @salePrice, @initial, @available, @held, @paid)
     ON CONFLICT (product_stock_id) DO UPDATE SET product_id = excluded.product_id, product_name = excluded.product_name,
       color = excluded.color, size = excluded.size, sale_price = excluded.sale_price, initial = excluded.initial,
       available = excluded.available, held = excluded.held, paid = excluded.paid`,
  );
  const upsertOrder = db.prepare(
    `INSERT INTO orders (payment_order_id, owner, status, lines, amount, created_at, updated_at, expires_at)
     VALUES (@paymentOrderId, @owner, @status, @lines, @amount, @createdAt, @updatedAt, @expiresAt)
     ON CONFLICT (payment_order_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
  );
  const allSkus = db.prepare<[], SkuRow>("SELECT * FROM skus ORDER BY product_stock_id");
  const allOrders = db.prepare<[], OrderRow>("SELECT * FROM orders ORDER BY created_at, payment_order_id");
  const countRows = db.prepare<[], { n: number }>(
    "SELECT (SELECT count(*) FROM skus) + (SELECT count(*) FROM orders) AS n",
  );

  const reader: StoreReader = {
    stock(id) {
      const row = selectSku.get(id);
      return row === undefined ? undefined : toLevel(row);
    },
    skuByProduct(productId, color, size) {
      const row = selectSkuByProduct.get(productId, color, size);
      return row === undefined ? undefined : toLevel(row);
    },
    order(id) {
      const row = selectOrder.get(id);
      return row === undefined ? undefined : toOrder(row);
    },
    dueOrders: (now, limit) => selectDue.all(now, limit).map(toOrder),
  };

  const writeLevel = (level: StockLevel) => upsertSku.run(level);
  const writeOrder = (order: Order) => upsertOrder.run({ ...order, lines: JSON.stringify(order.lines) });

  const guard = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      if (isBusy(error)) throw new StoreBusyError(error);
      throw error;
    }
  };

  // Transaction wrappers are built once; better-sqlite3 turns nested calls into SAVEPOINTs.
  const decideTx = db.transaction((step: (tx: StoreTx) => unknown) => {
    const overlay = createOverlay(reader);
    const value = step(overlay.tx);
    const changes = overlay.changes();
    for (const level of changes.stock) writeLevel(level);
    for (const order of changes.orders) writeOrder(order);
    return value;
  });
  // A deferred read transaction sees one consistent WAL snapshot.
  const snapshotTx = db.transaction(() => ({
    stock: allSkus.all().map(toLevel),
    orders: allOrders.all().map(toOrder),
  }));

  const decide = <T>(step: (tx: StoreTx) => T): T => guard(() => decideTx.immediate(step) as T);

  return {
    decide,
    submit: async (step) => decide(step),
    snapshot: () => guard(() => snapshotTx.deferred()),
    replaceAll(levels) {
      guard(() =>
        db
          .transaction(() => {
            db.exec("DELETE FROM orders; DELETE FROM skus;");
            for (const level of levels) writeLevel(level);
          })
          .immediate(),
      );
    },
    isEmpty: () => (countRows.get()?.n ?? 0) === 0,
    close: () => db.close(),
  };
}
