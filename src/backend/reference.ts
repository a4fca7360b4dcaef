/**
 * @module
 * The reference as a library: a SQLite or memory store, chosen by `db`, wired to the app, which does not listen.
 */

import { randomBytes } from "node:crypto";
import { type AssemblyOptions, assembleApp } from "./assemble.js";
import { scryptHasher } from "./auth/scrypt-hasher.js";
import { loadCatalog } from "./catalog/catalog.js";
import type { StockLevel } from "./domain/types.js";
import { createMemoryStore } from "./store/memory.js";
import type { LedgerStore } from "./store/port.js";
import { createSqliteStore } from "./store/sqlite/store.js";

/** The assembly's options, with the store chosen by `db` instead of passed in. */
export interface ReferenceOptions extends Omit<AssemblyOptions, "store" | "catalog" | "passwords"> {
  /** SQLite file path, ":memory:", or "memory" for the in-memory store. */
  readonly db?: string;
  /** Default: the demo catalog. */
  readonly catalog?: readonly StockLevel[];
  /** SQLite only: share one transaction among reservations arriving together (default true). */
  readonly groupCommit?: boolean;
  /** SQLite only: checkpoint the WAL from a background thread (default true). */
  readonly backgroundCheckpoint?: boolean;
  /** SQLite only: how long a writer waits for the lock before STORE_BUSY. */
  readonly busyTimeoutMs?: number;
  /** SQLite only: the most pages the file may grow to; beyond, writes answer STORE_FULL (tests fill a store with it). */
  readonly maxPageCount?: number;
  /** SQLite only: read every page on open and refuse a damaged file (`serve` does it once per start). */
  readonly checkIntegrity?: boolean;
}

export { defaultAdminKey, defaultAudience } from "./assemble.js";

const tokenSecretName = "token-signing-secret";
const randomSecret = () => randomBytes(32).toString("base64url");

/** The reference: a SQLite (or memory) store wired to the Hono app by assembleApp; the app does not listen. */
export function createReference(options: ReferenceOptions = {}) {
  const catalog = options.catalog ?? loadCatalog();
  const store: LedgerStore =
    options.db === "memory"
      ? createMemoryStore()
      : createSqliteStore({
          path: options.db ?? ":memory:",
          ...(options.groupCommit === undefined ? {} : { groupCommit: options.groupCommit }),
          ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
          ...(options.backgroundCheckpoint === undefined ? {} : { backgroundCheckpoint: options.backgroundCheckpoint }),
          ...(options.maxPageCount === undefined ? {} : { maxPageCount: options.maxPageCount }),
          ...(options.checkIntegrity === undefined ? {} : { checkIntegrity: options.checkIntegrity }),
        });
  // A listening server checks Host unless told otherwise: loopback names and IP addresses by default.
  const allowedHosts = options.allowedHosts === undefined ? [] : options.allowedHosts;
  let assembled: ReturnType<typeof assembleApp>;
  try {
    // No published default: without a secret of the operator's, a random one is made on first start
    // and kept in the database, so tokens survive a restart and every worker signs alike.
    const tokenSecret = options.tokenSecret ?? store.keptValue(tokenSecretName, randomSecret);
    assembled = assembleApp({ ...options, tokenSecret, allowedHosts, store, catalog, passwords: scryptHasher });
  } catch (error) {
    // Seeding a new file can fail (a full disk): the file must be closed before a refused start removes it.
    store.close();
    throw error;
  }
  const { app, service } = assembled;
  return { app, service, store, close: () => store.close() };
}

export type Reference = ReturnType<typeof createReference>;
