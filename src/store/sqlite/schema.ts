import type Database from "better-sqlite3";

/** Schema version this code writes; older files are migrated on open. */
export const schemaVersion = 2;

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
];

/** Sets the connection up (held alone if `exclusive`) and brings the schema to the current version, inside BEGIN IMMEDIATE so several processes can race safely. */
export function prepareDatabase(db: Database.Database, busyTimeoutMs: number, exclusive = false): void {
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  // Set before the first read: the connection then takes the file's exclusive lock on that read.
  if (exclusive) db.pragma("locking_mode = EXCLUSIVE");
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
