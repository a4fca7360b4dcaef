import Database from "better-sqlite3";

/**
 * Runs `work` while a second connection holds the write lock on the SQLite file (BEGIN IMMEDIATE,
 * optionally with an uncommitted write), then rolls that transaction back. This is how another
 * process keeps the reference's writers waiting until their busy_timeout runs out.
 */
export async function withWriteLock<T>(
  dbPath: string,
  work: () => Promise<T>,
  uncommitted?: (db: Database.Database) => void,
): Promise<T> {
  const db = new Database(dbPath);
  try {
    db.exec("BEGIN IMMEDIATE");
    uncommitted?.(db);
    return await work();
  } finally {
    if (db.inTransaction) db.exec("ROLLBACK");
    db.close();
  }
}
