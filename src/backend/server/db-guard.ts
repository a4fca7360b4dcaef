/**
 * @module
 * Opens the database so that a start refused for a storage reason says why in one line and changes nothing.
 */

import { accessSync, constants, existsSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { StartRefused } from "../../base/config/errors.js";
import { StoreFullError } from "../store/port.js";
import { ForeignDatabaseError } from "../store/sqlite/schema.js";

const isMemory = (db: string) => db === ":memory:" || db === "memory";

/** The files SQLite may create beside a database in WAL mode. */
const companions = (db: string) => [db, `${db}-wal`, `${db}-shm`, `${db}-journal`];

/** SQLite's (or the file system's) error code, also when the store wrapped the error (StoreFullError). */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  return error instanceof StoreFullError ? codeOf(error.cause) || "SQLITE_FULL" : "";
}

/** The one line that says why the database cannot be used, and what to do; undefined for anything else (a bug). */
export function storageRefusal(error: unknown, db: string, existed = true): string | undefined {
  const unchanged = existed ? `${db} was not changed.` : "No file was left behind.";
  const code = codeOf(error);
  const message = (error as Error).message;
  if (error instanceof ForeignDatabaseError) {
    return `${db} is not a stockproof database: ${message}. stockproof never changes another application's file: choose another --db (a new file is created), or move that file away. ${unchanged}`;
  }
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return `${db} is not a usable SQLite database (${code}: ${message}): it is corrupt or not a database. Move it away or choose another --db. ${unchanged}`;
  }
  if (
    code.startsWith("SQLITE_READONLY") ||
    code.startsWith("SQLITE_CANTOPEN") ||
    code === "EACCES" ||
    code === "EROFS"
  ) {
    return `Cannot write ${db} (${code}: ${message}): give the user running stockproof write permission on ${db} and its directory ${dirname(db)} (e.g. chmod u+w), or choose another --db. ${unchanged}`;
  }
  if (code === "SQLITE_FULL" || code.startsWith("SQLITE_IOERR")) {
    return `Cannot write ${db} (${code}: ${message}): its disk is full or failing, or the file hit a size limit. Free space, or choose another --db on another disk. ${unchanged}`;
  }
  return undefined;
}

/** Refuses, before SQLite opens it, a database this user may not write (SQLite would open it read-only and fail later). */
function checkWritable(db: string): void {
  const target = existsSync(db) ? db : dirname(db);
  try {
    if (existsSync(db) && statSync(db).isDirectory()) {
      throw Object.assign(new Error(`${db} is a directory`), { code: "SQLITE_CANTOPEN" });
    }
    accessSync(target, constants.W_OK);
    // WAL mode creates db-wal and db-shm beside the file.
    accessSync(dirname(db), constants.W_OK);
  } catch (error) {
    const code = codeOf(error);
    const reason = code === "EACCES" || code === "EROFS" ? `${code}: no write permission on ${target}` : undefined;
    throw Object.assign(new Error(reason ?? (error as Error).message), { code: code || "SQLITE_CANTOPEN" });
  }
}

/**
 * Runs `open` (which creates, migrates or resets the database) so that a start refused for a reason
 * of the storage's — read-only, full, corrupt, another application's file — says so in one line
 * (StartRefused, exit 1) and leaves the directory as it was: files SQLite created for this start
 * (a new database, its -wal and -shm) are removed again. Other errors (bugs) pass through.
 */
export function openGuarded<T>(db: string, open: () => T): T {
  if (isMemory(db)) return open();
  const existed = new Set(companions(db).filter((file) => existsSync(file)));
  try {
    checkWritable(db);
    return open();
  } catch (error) {
    const refusal = storageRefusal(error, db, existed.has(db));
    if (refusal === undefined) throw error;
    for (const file of companions(db)) {
      if (!existed.has(file)) rmSync(file, { force: true });
    }
    throw new StartRefused(refusal);
  }
}
