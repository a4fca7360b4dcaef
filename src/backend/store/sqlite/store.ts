/**
 * @module
 * The SQLite store: WAL, prepared statements, every write in BEGIN IMMEDIATE, several processes on one file.
 */

import Database from "better-sqlite3";
import type { Order, StockLevel } from "../../domain/types.js";
import { createOverlay } from "../overlay.js";
import { type LedgerStore, StoreBusyError, StoreFullError, type StoreReader, type StoreTx } from "../port.js";
import { type Checkpointer, startCheckpointer } from "./checkpointer.js";
import { levelArgs, toLevel, toOrder } from "./rows.js";
import { prepareDatabase } from "./schema.js";
import { prepareStatements, type Statements } from "./statements.js";

export interface SqliteStoreOptions {
  /** A file path, or ":memory:". */
  readonly path: string;
  /** How long a writer waits for the lock before SQLITE_BUSY. */
  readonly busyTimeoutMs?: number;
  /** Share one transaction among steps submitted together (default true). */
  readonly groupCommit?: boolean;
  /** Most steps in one group-commit transaction. */
  readonly maxBatch?: number;
  /** Checkpoint the WAL from a background thread (default true for files); false leaves it to SQLite's automatic checkpoint. */
  readonly backgroundCheckpoint?: boolean;
  /**
   * Hold the file alone (`PRAGMA locking_mode = EXCLUSIVE`) until closed. Opening then fails with
   * SQLITE_BUSY while any other connection, in this process or another, has the file open: each
   * connection in WAL mode keeps a shared lock on it.
   */
  readonly exclusive?: boolean;
  /**
   * The most pages the file may grow to (SQLite's max_page_count); a write beyond it fails as on a
   * full disk. Tests fill a store with it without filling a disk.
   */
  readonly maxPageCount?: number;
  /** Read every page once on open and refuse a damaged file (CorruptDatabaseError); `serve` does, once per start. */
  readonly checkIntegrity?: boolean;
}

/** The `kept` row holding the latest expiry among pruned spent tokens. */
const prunedThroughName = "spent-tokens-pruned-through";

/** Pause between the background thread's checkpoint passes. */
const checkpointIntervalMs = 100;
/** With a background checkpointer, the writer checkpoints itself only past this many WAL pages (≈32 MiB). */
const fallbackAutocheckpointPages = 8000;
/** SQLite's own default, restored when the background thread cannot run. */
const defaultAutocheckpointPages = 1000;

interface Pending {
  readonly step: (tx: StoreTx) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  value: unknown;
  error: unknown;
  failed: boolean;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

/** The port's errors for what the caller may retry (busy) or must wait out (full); anything else as it is. */
function translated(error: unknown): unknown {
  if (isBusy(error)) return new StoreBusyError(error);
  if ((error as { code?: unknown } | null)?.code === "SQLITE_FULL") return new StoreFullError(error);
  return error;
}

/** The SQLite store: WAL, prepared statements, every write in BEGIN IMMEDIATE; safe with several processes on one file. */
export function createSqliteStore(options: SqliteStoreOptions): LedgerStore {
  const db = openDatabase(options);
  const ensureCheckpointer = createCheckpointStarter(db, options);
  const st = prepareStatements(db);
  const reader = createReader(st);
  const rows = createRowWriters(st);
  const tx = createTransactions(db, st, reader, rows);
  const decide = <T>(step: (tx: StoreTx) => T): T => {
    ensureCheckpointer.start();
    return guard(() => tx.decide.immediate(step) as T);
  };
  const enqueue = createGroupCommit(db, tx.decide, ensureCheckpointer.start, options.maxBatch ?? 256);
  return {
    decide,
    submit<T>(step: (tx: StoreTx) => T): Promise<T> {
      if (options.groupCommit === false) return Promise.resolve().then(() => decide(step));
      return enqueue(step);
    },
    snapshot: () => guard(() => tx.snapshot.deferred()),
    replaceAll(levels) {
      guard(() =>
        db
          .transaction(() => {
            db.exec("DELETE FROM orders; DELETE FROM skus;");
            for (const level of levels) rows.insertLevel(level);
          })
          .immediate(),
      );
    },
    spendToken(id, expiresAt, now) {
      ensureCheckpointer.start();
      return guard(() => tx.spend.immediate(id, expiresAt, now));
    },
    keptValue(name, create) {
      const found = st.selectKept.get(name);
      return found !== undefined ? found.value : guard(() => tx.kept.immediate(name, create));
    },
    isEmpty: () => (st.countRows.get()?.n ?? 0) === 0,
    close() {
      ensureCheckpointer.stop();
      db.close();
    },
  };
}

/** Opens and prepares the file (schema, pragmas, the integrity check when asked); closes it again when that fails. */
function openDatabase(options: SqliteStoreOptions): Database.Database {
  const db = new Database(options.path);
  try {
    prepareDatabase(db, options.busyTimeoutMs ?? 5000, options.exclusive === true, options.checkIntegrity === true);
    if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.trunc(options.maxPageCount)}`);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * The background checkpointer, started with the first write, so a store only read (or opened to be
 * seeded and closed) costs no thread. Any failure leaves the writer's own automatic checkpoint at
 * SQLite's default: slower commits now and then, never a failed write.
 */
function createCheckpointStarter(db: Database.Database, options: SqliteStoreOptions) {
  let checkpointer: Checkpointer | undefined;
  return {
    start() {
      if (checkpointer !== undefined || db.memory || !db.open || options.backgroundCheckpoint === false) return;
      // The thread's own connection could not open a file held exclusively.
      if (options.exclusive === true) return;
      const fallBack = () => {
        if (db.open) db.pragma(`wal_autocheckpoint = ${defaultAutocheckpointPages}`);
      };
      try {
        db.pragma(`wal_autocheckpoint = ${fallbackAutocheckpointPages}`);
        checkpointer = startCheckpointer({ path: options.path, intervalMs: checkpointIntervalMs, onFailure: fallBack });
      } catch {
        checkpointer = { stop() {} };
        fallBack();
      }
    },
    stop() {
      checkpointer?.stop();
    },
  };
}

/** The domain's reads, row by row. */
function createReader(st: Statements): StoreReader {
  return {
    stock(id) {
      const row = st.selectSku.get(id);
      return row === undefined ? undefined : toLevel(row);
    },
    skuByProduct(productId, color, size) {
      const row = st.selectSkuByProduct.get(productId, color, size);
      return row === undefined ? undefined : toLevel(row);
    },
    order(id) {
      const row = st.selectOrder.get(id);
      return row === undefined ? undefined : toOrder(row);
    },
    dueOrders: (now) => st.selectDue.all(now).map(toOrder),
  };
}

/** Writes one stock level or order row. */
function createRowWriters(st: Statements) {
  const insertLevel = (l: StockLevel) => st.upsertSku.run(...levelArgs(l));
  return {
    insertLevel,
    // Most writes touch an existing SKU: one UPDATE, and an INSERT only for a SKU set up for the first time.
    writeLevel(l: StockLevel) {
      const [id, ...fields] = levelArgs(l);
      if (st.updateLevel.run(...fields, id).changes === 0) insertLevel(l);
    },
    writeOrder: (o: Order) =>
      st.upsertOrder.run(
        o.paymentOrderId,
        o.owner,
        o.status,
        JSON.stringify(o.lines),
        o.amount,
        o.createdAt,
        o.updatedAt,
        o.expiresAt,
      ),
  };
}

/** Runs `work`, turning SQLite's busy and full errors into the port's. */
function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw translated(error);
  }
}

/** Transaction wrappers, built once; better-sqlite3 turns nested calls into SAVEPOINTs. */
function createTransactions(
  db: Database.Database,
  st: Statements,
  reader: StoreReader,
  rows: ReturnType<typeof createRowWriters>,
) {
  return {
    decide: db.transaction((step: (tx: StoreTx) => unknown) => {
      const overlay = createOverlay(reader);
      const value = step(overlay.tx);
      const changes = overlay.changes();
      for (const level of changes.stock) rows.writeLevel(level);
      for (const order of changes.orders) rows.writeOrder(order);
      return value;
    }),
    // One BEGIN IMMEDIATE transaction: the insert either creates the row or finds it, so two processes
    // spending one token concurrently get exactly one true.
    //
    // Records are pruned by the wall clock, which may jump ahead and back: the latest expiry ever
    // pruned is kept, and a token expiring no later than it is refused, as it may be a pruned record's.
    spend: db.transaction((id: string, expiresAt: number, now: number) => {
      let prunedThrough = Number(st.selectKept.get(prunedThroughName)?.value ?? Number.NEGATIVE_INFINITY);
      const latest = st.latestPrunable.get(now)?.latest ?? null;
      if (latest !== null) {
        st.pruneSpent.run(now);
        if (latest > prunedThrough) {
          prunedThrough = latest;
          st.insertKept.run(prunedThroughName, String(latest));
        }
      }
      if (expiresAt <= now || expiresAt <= prunedThrough) return false;
      return st.insertSpent.run(id, expiresAt).changes === 1;
    }),
    kept: db.transaction((name: string, create: () => string) => {
      const found = st.selectKept.get(name);
      if (found !== undefined) return found.value;
      const value = create();
      st.insertKept.run(name, value);
      return value;
    }),
    // A deferred read transaction sees one consistent WAL snapshot.
    snapshot: db.transaction(() => ({
      stock: st.allSkus.all().map(toLevel),
      orders: st.allOrders.all().map(toOrder),
    })),
  };
}

/**
 * Group commit: steps submitted in the same turn of the event loop share one BEGIN IMMEDIATE
 * transaction. Each runs through `decideTx`, which better-sqlite3 nests as a SAVEPOINT, so a step
 * that throws rolls back alone and every reply is exactly what a lone transaction would give.
 * Replies are released only after COMMIT: no client sees success for a write not yet in the WAL.
 * Returns the function that queues a step.
 */
function createGroupCommit(
  db: Database.Database,
  decideTx: Database.Transaction<(step: (tx: StoreTx) => unknown) => unknown>,
  ensureCheckpointer: () => void,
  maxBatch: number,
): <T>(step: (tx: StoreTx) => T) => Promise<T> {
  let queue: Pending[] = [];
  let scheduled = false;
  const batchTx = db.transaction((batch: Pending[]) => {
    for (const item of batch) {
      try {
        item.value = decideTx(item.step);
        item.failed = false;
      } catch (error) {
        // An error that made SQLite end the whole transaction (disk full, I/O) must abort the batch:
        // later steps would otherwise commit one by one outside it.
        if (!db.inTransaction) throw error;
        item.error = error;
        item.failed = true;
      }
    }
  });
  const flush = () => {
    scheduled = false;
    if (!db.open) {
      // Closed while these steps waited for their turn: nothing was written.
      const closed = new Error("The store was closed before the write ran.");
      for (const item of queue.splice(0)) item.reject(closed);
      return;
    }
    ensureCheckpointer();
    while (queue.length > 0) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      try {
        guard(() => batchTx.immediate(batch));
      } catch (error) {
        for (const item of batch) item.reject(error);
        continue;
      }
      for (const item of batch) {
        if (item.failed) item.reject(translated(item.error));
        else item.resolve(item.value);
      }
    }
  };
  return <T>(step: (tx: StoreTx) => T) =>
    new Promise<T>((resolve, reject) => {
      queue.push({
        step,
        resolve: resolve as (value: unknown) => void,
        reject,
        value: undefined,
        error: undefined,
        failed: false,
      });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
