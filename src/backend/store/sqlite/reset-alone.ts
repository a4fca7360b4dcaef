/**
 * @module
 * Resets a database file to given stock only when no other connection, in any process, has it open.
 */

import type { Result, StockLevel } from "../../domain/types.js";
import { createSqliteStore } from "./store.js";

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/**
 * Resets a database file to `levels` (no orders) only if no other connection has it open, in this
 * process or another — a running server, a worker, a `sqlite3` shell. The file is held exclusively
 * from the check to the commit, so nobody can open it in between; when it is in use, nothing is
 * written and the result says so.
 *
 * A connection that has opened the file but never read it holds no lock and is not seen; every
 * stockproof store reads on open.
 */
export function resetAlone(path: string, levels: readonly StockLevel[]): Result<void, "IN_USE"> {
  let store: ReturnType<typeof createSqliteStore>;
  try {
    // No waiting: a lock held now means a live connection, not a write about to finish.
    store = createSqliteStore({ path, exclusive: true, busyTimeoutMs: 0, groupCommit: false });
  } catch (error) {
    if (isBusy(error)) return { ok: false, error: "IN_USE" };
    throw error;
  }
  try {
    store.replaceAll(levels);
  } finally {
    store.close();
  }
  return { ok: true, value: undefined };
}
