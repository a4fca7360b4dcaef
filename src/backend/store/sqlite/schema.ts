/**
 * @module
 * Opens a database file: sets the connection up, refuses foreign or damaged files, migrates the schema.
 */

import type Database from "better-sqlite3";

/** Schema version this code writes; older files are migrated on open. */
export const schemaVersion = 3;

// CHECK constraints repeat the domain invariant so that a bug can never commit a broken row.
const migrations: readonly string[] = [
  `CREATE TABLE skus (
     product_stock_id INTEGER PRIMARY KEY,
     product_id INTEGER NOT NULL,
     product_name TEXT NOT NULL,
     color TEXT NOT NULL,
     size TEXT NOT NULL,
     sale_price REAL NOT NULL,
     initial INTEGER NOT NULL,
     available INTEGER NOT NULL CHECK (available >= 0),
     held INTEGER NOT NULL CHECK (held >= 0),
     paid INTEGER NOT NULL CHECK (paid >= 0),
     CHECK (initial = available + held + paid)
   );
   CREATE INDEX skus_by_product ON skus (product_id, color, size);
   CREATE TABLE orders (
     payment_order_id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('RESERVED', 'PAID', 'CANCELLED', 'EXPIRED')),
     lines TEXT NOT NULL,
     amount TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     expires_at INTEGER
   ) WITHOUT ROWID;
   CREATE INDEX orders_due ON orders (expires_at) WHERE status = 'RESERVED' AND expires_at IS NOT NULL;`,
  // Spent one-time tokens (refresh-token jti), kept until the token expires; shared by every process on the file.
  `CREATE TABLE spent_tokens (
     id TEXT PRIMARY KEY,
     expires_at INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX spent_tokens_by_expiry ON spent_tokens (expires_at);`,
  // Values kept with the data: the generated token-signing secret, how far spent tokens were pruned.
  `CREATE TABLE kept (
     name TEXT PRIMARY KEY,
     value TEXT NOT NULL
   ) WITHOUT ROWID;`,
];

/** The file is a database, but not one stockproof wrote: it must not be changed (no tables added, no WAL). */
export class ForeignDatabaseError extends Error {
  override readonly name = "ForeignDatabaseError";
}

/** Tables every stockproof schema since version 1 has. */
const ownTables = ["skus", "orders"];

/**
 * Refuses, before anything is written, a database that is not stockproof's: one with tables but no
 * schema version (another application's), a version this code does not know, or a version without
 * stockproof's tables. A new or empty database (no table ever created) is stockproof's to set up.
 */
function checkOwnership(db: Database.Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
    (row) => row.name,
  );
  if (version === 0 && tables.length > 0) {
    const named = tables.slice(0, 5).join(", ") + (tables.length > 5 ? ", …" : "");
    throw new ForeignDatabaseError(`it has tables (${named}) and no stockproof schema version`);
  }
  if (version > migrations.length) {
    throw new ForeignDatabaseError(
      `its schema version is ${version}, newer than this stockproof's ${migrations.length} (a newer stockproof, or another application)`,
    );
  }
  const missing = version === 0 ? [] : ownTables.filter((name) => !tables.includes(name));
  if (missing.length > 0) {
    throw new ForeignDatabaseError(`it has schema version ${version} but no ${missing.join(" or ")} table`);
  }
}

/** The file is damaged: a page SQLite cannot read as what it should be. */
export class CorruptDatabaseError extends Error {
  override readonly name = "CorruptDatabaseError";
  readonly code = "SQLITE_CORRUPT";
}

/** Reads every page once (quick_check: no index cross-check, linear in the file's size); throws on damage. */
function checkPages(db: Database.Database): void {
  const problems = (db.pragma("quick_check(3)") as { quick_check: string }[]).map((row) => row.quick_check);
  if (problems.length !== 1 || problems[0] !== "ok") throw new CorruptDatabaseError(problems.join("; "));
}

/** Sets the connection up (held alone if `exclusive`) and brings the schema to the current version, inside BEGIN IMMEDIATE so several processes can race safely. */
export function prepareDatabase(
  db: Database.Database,
  busyTimeoutMs: number,
  exclusive = false,
  checkIntegrity = false,
): void {
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  // Set before the first read: the connection then takes the file's exclusive lock on that read.
  if (exclusive) db.pragma("locking_mode = EXCLUSIVE");
  // Only reads until here: another application's file is refused before WAL mode or a table changes it.
  if (db.name !== ":memory:") checkOwnership(db);
  if (checkIntegrity && db.name !== ":memory:") checkPages(db);
  if (db.name !== ":memory:") db.pragma("journal_mode = WAL");
  // In WAL mode NORMAL loses nothing on a process crash; only an OS crash can drop the last commits.
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.transaction(() => {
    const current = db.pragma("user_version", { simple: true }) as number;
    for (let version = current; version < migrations.length; version++) {
      db.exec(migrations[version] as string);
    }
    if (current < migrations.length) db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
}
