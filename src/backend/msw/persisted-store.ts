/**
 * @module
 * A mock store kept in Web Storage, so the state survives a full-page navigation.
 */

import type { Order, StockLevel } from "../domain/types.js";
import type { LedgerStore } from "../store/port.js";

/** The part of Web Storage the mock uses: `sessionStorage`, `localStorage`, or anything alike. */
export interface StateStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What is kept: the ledger, spent refresh tokens, the signing secret, and the catalog it started from. */
interface Kept {
  readonly version: 1;
  readonly catalog: string;
  readonly tokenSecret: string;
  readonly stock: StockLevel[];
  readonly orders: Order[];
  readonly spent: [string, number][];
}

function read(storage: StateStorage, key: string, catalog: string): Kept | undefined {
  let kept: Partial<Kept> | null;
  try {
    kept = JSON.parse(storage.getItem(key) ?? "null") as Partial<Kept> | null;
  } catch {
    return undefined; // Not ours, or cut short: start again from the catalog.
  }
  const whole =
    kept?.version === 1 &&
    kept.catalog === catalog &&
    typeof kept.tokenSecret === "string" &&
    Array.isArray(kept.stock) &&
    Array.isArray(kept.orders) &&
    Array.isArray(kept.spent);
  return whole ? (kept as Kept) : undefined;
}

const randomSecret = () =>
  Array.from(globalThis.crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");

export interface PersistedStore {
  readonly store: LedgerStore;
  /** The secret tokens are signed with: the one kept, so tokens issued before a reload still verify. */
  readonly tokenSecret: string;
}

/**
 * A store whose state survives a full-page navigation: every change is written to `storage` under
 * `key`, and a new store over the same storage starts from it — unless the catalog differs (the
 * developer changed it) or the stored value is not a whole state, then from the catalog. A reset
 * writes the catalog's state back: the kept orders are gone, the signing secret stays (as in memory,
 * where a reset does not invalidate tokens).
 */
export function persistedStore(
  inner: LedgerStore,
  options: {
    storage: StateStorage;
    key: string;
    catalog: readonly StockLevel[];
    tokenSecret?: string | undefined;
    clock: () => number;
    /** Told once when the state could not be written (storage full, or refused): the mock goes on in memory. */
    onWriteError: (error: unknown) => void;
  },
): PersistedStore {
  const { storage, key, clock } = options;
  let writeFailed = false;
  const catalog = JSON.stringify(options.catalog);
  const kept = read(storage, key, catalog);
  const tokenSecret = options.tokenSecret ?? kept?.tokenSecret ?? randomSecret();
  const spent = new Map<string, number>();
  if (kept !== undefined) {
    inner.replaceAll(kept.stock);
    inner.decide((tx) => tx.stage({ stock: [], orders: kept.orders }));
    for (const [id, until] of kept.spent) if (inner.spendToken(id, until, clock())) spent.set(id, until);
  }

  const write = () => {
    const now = clock();
    for (const [id, until] of spent) if (until <= now) spent.delete(id);
    const { stock, orders } = inner.snapshot();
    const state: Kept = { version: 1, catalog, tokenSecret, stock, orders, spent: [...spent] };
    try {
      storage.setItem(key, JSON.stringify(state));
      writeFailed = false;
    } catch (error) {
      // A full storage must not turn every answer into a 500: the change stands in memory.
      if (!writeFailed) options.onWriteError(error);
      writeFailed = true;
    }
  };

  // Kept at once, the secret included: a login changes no stock, yet its token must survive a reload.
  write();

  const store: LedgerStore = {
    // The token secret is kept by this wrapper itself (tokenSecret above) and handed to the app.
    keptValue: (name, create) => inner.keptValue(name, create),
    decide(step) {
      const value = inner.decide(step);
      write();
      return value;
    },
    async submit(step) {
      const value = await inner.submit(step);
      write();
      return value;
    },
    snapshot: () => inner.snapshot(),
    replaceAll(levels) {
      inner.replaceAll(levels);
      write();
    },
    spendToken(id, expiresAt, now) {
      const first = inner.spendToken(id, expiresAt, now);
      if (first) {
        spent.set(id, expiresAt);
        write();
      }
      return first;
    },
    isEmpty: () => inner.isEmpty(),
    close: () => inner.close(),
  };
  return { store, tokenSecret };
}
