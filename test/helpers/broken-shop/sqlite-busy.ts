import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { type Line, orderReply, problem, type Reply, roundTrip, type ShopLedger } from "./ledger.js";

type Connection = Database.Database;

/**
 * Collides on crossed carts with SQLite's own error: a pool of connections on one database file
 * (WAL, busy_timeout 0). A reservation opens a DEFERRED transaction, reads each SKU of the cart
 * (a shared read snapshot), and only then UPDATEs — upgrading to the write lock. Two carts that
 * read before either writes cannot both upgrade: SQLite answers SQLITE_BUSY (or SQLITE_BUSY_SNAPSHOT
 * once the other committed), and the server turns that into 500 with the engine's code.
 */
export function sqliteBusyLedger(options: { readonly connections?: number } = {}): ShopLedger {
  const dir = mkdtempSync(join(tmpdir(), "stockproof-busy-"));
  const file = join(dir, "shop.db");
  const open = (): Connection => {
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("busy_timeout = 0");
    return db;
  };
  const admin = open();
  admin.exec(`CREATE TABLE IF NOT EXISTS stock (sku INTEGER PRIMARY KEY, available INTEGER NOT NULL CHECK (available >= 0));
    CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, owner TEXT NOT NULL, status TEXT NOT NULL, lines TEXT NOT NULL);`);
  const idle: Connection[] = Array.from({ length: options.connections ?? 8 }, open);
  const all = [...idle];
  const waiting: ((db: Connection) => void)[] = [];
  const take = (): Promise<Connection> => {
    const db = idle.pop();
    return db === undefined ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve(db);
  };
  const give = (db: Connection) => {
    const next = waiting.shift();
    if (next === undefined) idle.push(db);
    else next(db);
  };

  /** Runs body inside BEGIN DEFERRED … COMMIT; SQLITE_BUSY* becomes 500 with the engine's code. */
  async function deferred(body: (db: Connection) => Promise<Reply>): Promise<Reply> {
    const db = await take();
    try {
      db.exec("BEGIN DEFERRED");
      const answer = await body(db);
      db.exec(answer.status < 300 ? "COMMIT" : "ROLLBACK");
      return answer;
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      if (error instanceof Database.SqliteError && error.code.startsWith("SQLITE_BUSY")) {
        return problem(500, error.code, `Database is locked: ${error.message}`);
      }
      throw error;
    } finally {
      give(db);
    }
  }

  type OrderRow = { id: string; owner: string; status: string; lines: string };
  const owned = (db: Connection, owner: string, orderId: string) => {
    const row = db.prepare<[string], OrderRow>("SELECT * FROM orders WHERE id = ?").get(orderId);
    return row !== undefined && row.owner === owner ? row : undefined;
  };

  return {
    reserve: (owner, orderId, lines: readonly Line[]) =>
      deferred(async (db) => {
        const read = db.prepare<[number], { available: number }>("SELECT available FROM stock WHERE sku = ?");
        const levels: number[] = [];
        for (const line of lines) {
          const level = read.get(line.sku);
          if (level === undefined) return problem(400, "UNKNOWN_SKU", `No SKU ${line.sku}.`);
          levels.push(level.available);
          await roundTrip();
        }
        if (db.prepare("SELECT 1 FROM orders WHERE id = ?").get(orderId) !== undefined) {
          return problem(409, "DUPLICATE_PAYMENT_ORDER", `${orderId} exists.`);
        }
        if (lines.some((l, i) => (levels[i] ?? 0) < l.count)) return problem(409, "OUT_OF_STOCK", "Not enough stock.");
        const take = db.prepare("UPDATE stock SET available = available - ? WHERE sku = ?");
        for (const line of lines) {
          take.run(line.count, line.sku);
          await roundTrip();
        }
        db.prepare("INSERT INTO orders (id, owner, status, lines) VALUES (?, ?, 'RESERVED', ?)").run(
          orderId,
          owner,
          JSON.stringify(lines),
        );
        return orderReply(orderId, owner, "RESERVED", lines);
      }),
    pay: (owner, orderId) =>
      deferred(async (db) => {
        const order = owned(db, owner, orderId);
        if (order === undefined) return problem(404, "ORDER_NOT_FOUND", `No order ${orderId}.`);
        if (order.status === "CANCELLED") return problem(409, "ORDER_CANCELLED", `${orderId} is cancelled.`);
        db.prepare("UPDATE orders SET status = 'PAID' WHERE id = ?").run(orderId);
        return orderReply(orderId, owner, "PAID", JSON.parse(order.lines) as Line[]);
      }),
    cancel: (owner, orderId) =>
      deferred(async (db) => {
        const order = owned(db, owner, orderId);
        if (order === undefined) return problem(404, "ORDER_NOT_FOUND", `No order ${orderId}.`);
        if (order.status === "PAID") return problem(409, "ORDER_PAID", `${orderId} is paid.`);
        const lines = JSON.parse(order.lines) as Line[];
        if (order.status === "RESERVED") {
          const give = db.prepare("UPDATE stock SET available = available + ? WHERE sku = ?");
          for (const line of lines) give.run(line.count, line.sku);
          db.prepare("UPDATE orders SET status = 'CANCELLED' WHERE id = ?").run(orderId);
        }
        return orderReply(orderId, owner, "CANCELLED", lines);
      }),
    async setStock(items) {
      const upsert = admin.prepare(
        "INSERT INTO stock (sku, available) VALUES (?, ?) ON CONFLICT (sku) DO UPDATE SET available = excluded.available",
      );
      admin
        .transaction(() => {
          for (const item of items) upsert.run(item.productStockId, item.quantity);
        })
        .immediate();
    },
    async available() {
      const rows = admin.prepare<[], { sku: number; available: number }>("SELECT sku, available FROM stock").all();
      return Object.fromEntries(rows.map((r) => [r.sku, r.available]));
    },
    close() {
      for (const db of [...all, admin]) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
