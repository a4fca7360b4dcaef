import Database from "better-sqlite3";
import { type Line, orderReply, problem, type Reply, type ShopLedger } from "./ledger.js";

export interface PoolShopOptions {
  /** Connections in the pool. */
  readonly connections?: number;
  /** How long a request waits for a connection before giving up with 500 POOL_TIMEOUT. */
  readonly acquireTimeoutMs?: number;
  /** Latency of one database round trip. */
  readonly roundTripMs?: number;
  /** Unique-key conflicts a reservation retries before 500 DUPLICATE_KEY. */
  readonly maxRetries?: number;
}

/** A bounded pool of connections: a counting semaphore whose waiters give up after a timeout. */
function connectionPool(size: number, acquireTimeoutMs: number) {
  let free = size;
  const waiters: (() => void)[] = [];
  return {
    acquire(): Promise<boolean> {
      if (free > 0) {
        free -= 1;
        return Promise.resolve(true);
      }
      return new Promise((resolve) => {
        const grant = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(grant), 1);
          resolve(false);
        }, acquireTimeoutMs);
        waiters.push(grant);
      });
    },
    release(): void {
      const next = waiters.shift();
      if (next === undefined) free += 1;
      else next();
    },
  };
}

/**
 * The seed's reservation design (SEED-EN §5): every unit of stock is a row, and reserving a unit
 * INSERTs it into `sold_units`, whose UNIQUE key on `unit_id` is the only guard. Each request takes
 * a connection from a small pool, looks up the first free unit, and INSERTs it after a round trip;
 * under contention every request picks the same unit, hits the unique key (a real SQLite
 * constraint error), re-queries and retries — holding its connection all along, so the requests
 * queued behind it time out waiting for the pool.
 */
export function poolExhaustionLedger(options: PoolShopOptions = {}): ShopLedger {
  const db = new Database(":memory:");
  db.exec(`CREATE TABLE units (unit_id INTEGER PRIMARY KEY, sku INTEGER NOT NULL);
    CREATE TABLE sold_units (unit_id INTEGER NOT NULL UNIQUE, order_id TEXT NOT NULL);
    CREATE TABLE orders (id TEXT PRIMARY KEY, owner TEXT NOT NULL, status TEXT NOT NULL, lines TEXT NOT NULL);`);
  const pool = connectionPool(options.connections ?? 4, options.acquireTimeoutMs ?? 100);
  const roundTripMs = options.roundTripMs ?? 1;
  const maxRetries = options.maxRetries ?? 50;
  const roundTrip = () => new Promise<void>((resolve) => setTimeout(resolve, roundTripMs));

  const knownSku = db.prepare<[number], { n: number }>("SELECT count(*) AS n FROM units WHERE sku = ?");
  const freeUnits = db.prepare<[number, number], { unit_id: number }>(
    "SELECT unit_id FROM units WHERE sku = ? AND unit_id NOT IN (SELECT unit_id FROM sold_units) ORDER BY unit_id LIMIT ?",
  );
  const sell = db.prepare("INSERT INTO sold_units (unit_id, order_id) VALUES (?, ?)");
  const unsell = db.prepare("DELETE FROM sold_units WHERE order_id = ?");
  const findOrder = db.prepare<[string], { id: string; owner: string; status: string; lines: string }>(
    "SELECT * FROM orders WHERE id = ?",
  );
  const insertOrder = db.prepare("INSERT INTO orders (id, owner, status, lines) VALUES (?, ?, 'RESERVED', ?)");
  const setStatus = db.prepare("UPDATE orders SET status = ? WHERE id = ?");

  const isUniqueViolation = (error: unknown) =>
    error instanceof Database.SqliteError && error.code === "SQLITE_CONSTRAINT_UNIQUE";

  /** One attempt: pick the first free units, then INSERT the order and its units in one transaction. */
  async function attempt(
    owner: string,
    orderId: string,
    lines: readonly Line[],
  ): Promise<"ok" | "short" | "conflict" | "duplicate"> {
    const picked: number[] = [];
    for (const line of lines) {
      const units = freeUnits.all(line.sku, line.count);
      if (units.length < line.count) return "short";
      picked.push(...units.map((u) => u.unit_id));
    }
    await roundTrip();
    try {
      db.transaction(() => {
        insertOrder.run(orderId, owner, JSON.stringify(lines));
        for (const unit of picked) sell.run(unit, orderId);
      })();
      return "ok";
    } catch (error) {
      if (error instanceof Database.SqliteError && error.code === "SQLITE_CONSTRAINT_PRIMARYKEY") return "duplicate";
      if (isUniqueViolation(error)) return "conflict";
      throw error;
    }
  }

  async function reserve(owner: string, orderId: string, lines: readonly Line[]): Promise<Reply> {
    const unknown = lines.find((l) => (knownSku.get(l.sku)?.n ?? 0) === 0);
    if (unknown !== undefined) return problem(400, "UNKNOWN_SKU", `No SKU ${unknown.sku}.`);
    if (!(await pool.acquire())) {
      return problem(500, "POOL_TIMEOUT", "Could not get a JDBC connection: connection pool timed out.");
    }
    try {
      if (findOrder.get(orderId) !== undefined) return problem(409, "DUPLICATE_PAYMENT_ORDER", `${orderId} exists.`);
      for (let tries = 0; tries <= maxRetries; tries += 1) {
        const result = await attempt(owner, orderId, lines);
        if (result === "short") return problem(409, "OUT_OF_STOCK", "Not enough stock.");
        if (result === "duplicate") return problem(409, "DUPLICATE_PAYMENT_ORDER", `${orderId} exists.`);
        if (result === "ok") return orderReply(orderId, owner, "RESERVED", lines);
      }
      return problem(500, "DUPLICATE_KEY", "Duplicate entry for key 'unique_product_stock_id'.");
    } finally {
      pool.release();
    }
  }

  const owned = (owner: string, orderId: string) => {
    const order = findOrder.get(orderId);
    return order !== undefined && order.owner === owner ? order : undefined;
  };

  return {
    reserve,
    async pay(owner, orderId) {
      const order = owned(owner, orderId);
      if (order === undefined) return problem(404, "ORDER_NOT_FOUND", `No order ${orderId}.`);
      if (order.status === "CANCELLED") return problem(409, "ORDER_CANCELLED", `${orderId} is cancelled.`);
      setStatus.run("PAID", orderId);
      return orderReply(orderId, owner, "PAID", JSON.parse(order.lines) as Line[]);
    },
    async cancel(owner, orderId) {
      const order = owned(owner, orderId);
      if (order === undefined) return problem(404, "ORDER_NOT_FOUND", `No order ${orderId}.`);
      if (order.status === "PAID") return problem(409, "ORDER_PAID", `${orderId} is paid.`);
      db.transaction(() => {
        unsell.run(orderId);
        setStatus.run("CANCELLED", orderId);
      })();
      return orderReply(orderId, owner, "CANCELLED", JSON.parse(order.lines) as Line[]);
    },
    async setStock(items) {
      db.transaction(() => {
        for (const { productStockId, quantity } of items) {
          db.prepare("DELETE FROM sold_units WHERE unit_id IN (SELECT unit_id FROM units WHERE sku = ?)").run(
            productStockId,
          );
          db.prepare("DELETE FROM units WHERE sku = ?").run(productStockId);
          const add = db.prepare("INSERT INTO units (sku) VALUES (?)");
          for (let i = 0; i < quantity; i += 1) add.run(productStockId);
        }
      })();
    },
    async available() {
      const rows = db
        .prepare<[], { sku: number; n: number }>(
          "SELECT sku, count(*) AS n FROM units WHERE unit_id NOT IN (SELECT unit_id FROM sold_units) GROUP BY sku",
        )
        .all();
      const all = db.prepare<[], { sku: number }>("SELECT DISTINCT sku FROM units").all();
      const result: Record<number, number> = Object.fromEntries(all.map((r) => [r.sku, 0]));
      for (const r of rows) result[r.sku] = r.n;
      return result;
    },
    close() {
      db.close();
    },
  };
}
