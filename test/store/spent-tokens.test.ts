import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/backend/catalog/catalog.js";
import { createSqliteStore } from "../../src/backend/store/sqlite/store.js";
import { tempDir } from "../helpers/reference.js";
import { storeTargets } from "../helpers/store-targets.js";

const now = 1_700_000_000_000;
const catalog = loadCatalog();

describe.each(storeTargets)("spent one-time tokens: $name", (target) => {
  it("spends an id once, refuses an expired one, and leaves the stock alone", () => {
    const opened = target.open(catalog);
    try {
      const before = opened.store.snapshot();
      expect(opened.store.spendToken("jti-1", now + 60_000, now)).toBe(true);
      expect(opened.store.spendToken("jti-1", now + 60_000, now)).toBe(false);
      expect(opened.store.spendToken("jti-1", now + 60_000, now + 1000)).toBe(false);
      expect(opened.store.spendToken("jti-2", now + 60_000, now)).toBe(true);
      // At or past its expiry a token is refused whether or not it was spent.
      expect(opened.store.spendToken("jti-3", now, now)).toBe(false);
      expect(opened.store.snapshot()).toEqual(before);
      // A reset of the stock does not bring spent tokens back.
      opened.store.replaceAll(catalog);
      expect(opened.store.spendToken("jti-1", now + 60_000, now)).toBe(false);
      if (opened.reopen !== null) {
        // Another connection (another worker process) sees the same record.
        expect(opened.reopen().spendToken("jti-2", now + 60_000, now)).toBe(false);
        expect(opened.reopen().spendToken("jti-4", now + 60_000, now)).toBe(true);
        expect(opened.store.spendToken("jti-4", now + 60_000, now)).toBe(false);
      }
    } finally {
      opened.dispose();
    }
  });
});

describe("spent tokens in SQLite", () => {
  const rows = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare<[], { id: string }>("SELECT id FROM spent_tokens ORDER BY id").all();
    } finally {
      db.close();
    }
  };

  it("prunes records once their token has expired", () => {
    const temp = tempDir("stockproof-spent-");
    const path = join(temp.dir, "spent.db");
    const store = createSqliteStore({ path });
    try {
      expect(store.spendToken("short", now + 1000, now)).toBe(true);
      expect(store.spendToken("long", now + 86_400_000, now)).toBe(true);
      expect(rows(path).map((r) => r.id)).toEqual(["long", "short"]);
      expect(store.spendToken("later", now + 86_400_000, now + 2000)).toBe(true);
      expect(rows(path).map((r) => r.id)).toEqual(["later", "long"]);
    } finally {
      store.close();
      temp.remove();
    }
  });

  it("migrates a database file from before spent tokens existed, keeping its orders and stock", () => {
    const temp = tempDir("stockproof-spent-");
    const path = join(temp.dir, "old.db");
    try {
      const first = createSqliteStore({ path });
      first.replaceAll(catalog);
      const stock = first.snapshot();
      first.close();
      // Turn the file back into schema version 1, as written before this table existed.
      const db = new Database(path);
      db.exec("DROP TABLE kept; DROP TABLE spent_tokens; PRAGMA user_version = 1;");
      db.close();

      const reopened = createSqliteStore({ path });
      try {
        expect(reopened.snapshot()).toEqual(stock);
        expect(reopened.spendToken("jti", now + 1000, now)).toBe(true);
        expect(reopened.spendToken("jti", now + 1000, now)).toBe(false);
      } finally {
        reopened.close();
      }
    } finally {
      temp.remove();
    }
  });
});
