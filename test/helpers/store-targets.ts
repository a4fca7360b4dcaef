import { join } from "node:path";
import type { StockLevel } from "../../src/backend/domain/types.js";
import { createMemoryStore } from "../../src/backend/store/memory.js";
import type { LedgerStore } from "../../src/backend/store/port.js";
import { createSqliteStore } from "../../src/backend/store/sqlite/store.js";
import { tempDir } from "./reference.js";

/** A store under test and how to dispose of it (and its files). */
export interface OpenedStore {
  readonly store: LedgerStore;
  /** Opens the same data again (SQLite: a second connection to the file); null for the memory store. */
  readonly reopen: (() => LedgerStore) | null;
  dispose(): void;
}

export interface StoreTarget {
  readonly name: string;
  /** True when the data outlives the connection (a file), so `reopen` is given. */
  readonly durable: boolean;
  open(levels: readonly StockLevel[]): OpenedStore;
}

/** Both implementations of the storage port: one behaviour suite runs against each. */
export const storeTargets: readonly StoreTarget[] = [
  {
    name: "memory store",
    durable: false,
    open(levels) {
      const store = createMemoryStore();
      store.replaceAll(levels);
      return { store, reopen: null, dispose: () => store.close() };
    },
  },
  {
    name: "SQLite store (temp file)",
    durable: true,
    open(levels) {
      const temp = tempDir("stockproof-domain-");
      const path = join(temp.dir, "ledger.db");
      const store = createSqliteStore({ path });
      store.replaceAll(levels);
      const others: LedgerStore[] = [];
      return {
        store,
        reopen: () => {
          const again = createSqliteStore({ path });
          others.push(again);
          return again;
        },
        dispose() {
          for (const other of others) other.close();
          store.close();
          temp.remove();
        },
      };
    },
  },
];
