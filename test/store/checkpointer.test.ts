import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { loadCatalog } from "../../src/backend/catalog/catalog.js";
import { createStockService } from "../../src/backend/service/stock-service.js";
import { createSqliteStore } from "../../src/backend/store/sqlite/store.js";
import { api } from "../helpers/api.js";
import { ensureBuilt } from "../helpers/built-cli.js";
import { buyer, spawnReference, tempDir } from "../helpers/reference.js";

const catalog = loadCatalog();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A store on a fresh file, the catalog loaded, and the database file's size once it settles. */
function open(backgroundCheckpoint: boolean) {
  const temp = tempDir();
  const path = join(temp.dir, "db.sqlite");
  const store = createSqliteStore({ path, backgroundCheckpoint });
  store.replaceAll(catalog);
  cleanups.push(() => {
    store.close();
    temp.remove();
  });
  const service = createStockService({ store, catalog });
  service.setStock([{ productStockId: 311191, quantity: 1000 }]);
  return { path, store, service };
}

// 200 one-unit reservations write a few hundred WAL pages: fewer than SQLite's automatic
// checkpoint (1000 pages) would copy, so only the background thread can move them into the file.
async function reserveMany(service: ReturnType<typeof open>["service"], count: number) {
  for (let i = 0; i < count; i++) {
    const result = await service.reserve("buyer@example.com", {
      paymentOrderId: `ckpt-${i}`,
      amount: "1000",
      lines: [{ kind: "stock", productStockId: 311191, count: 1 }],
    });
    expect(result.ok).toBe(true);
  }
}

describe("background WAL checkpoint", () => {
  it("copies committed pages into the database file from its own thread", async () => {
    const { path, service } = open(true);
    const before = statSync(path).size;
    await reserveMany(service, 200);
    await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before), { timeout: 15_000, interval: 20 });
  });

  it("without it, the same writes stay in the WAL (the counterfactual)", async () => {
    const { path, service, store } = open(false);
    const before = statSync(path).size;
    await reserveMany(service, 200);
    expect(statSync(path).size).toBe(before);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    expect(store.snapshot().orders).toHaveLength(200);
  });

  it("loses nothing: after the thread has copied the pages, a reopened file holds every reservation and the invariant", async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const path = join(temp.dir, "db.sqlite");
    const first = createSqliteStore({ path });
    first.replaceAll(catalog);
    const writer = createStockService({ store: first, catalog });
    writer.setStock([{ productStockId: 311191, quantity: 1000 }]);
    const before = statSync(path).size;
    await reserveMany(writer, 200);
    await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before), { timeout: 15_000, interval: 20 });
    first.close();
    const reopened = createSqliteStore({ path });
    cleanups.push(() => reopened.close());
    const service = createStockService({ store: reopened, catalog });
    const snapshot = service.snapshot();
    expect(snapshot.orders.filter((o) => o.status === "RESERVED")).toHaveLength(200);
    expect(snapshot.invariantHolds).toBe(true);
    const sku = snapshot.skus.find((s) => s.level.productStockId === 311191);
    expect(sku?.level.held).toBe(200);
  });

  it("a write still queued when the store closes is refused, not lost in silence", async () => {
    const { store } = open(true);
    const pending = store.submit(() => "written");
    store.close();
    await expect(pending).rejects.toThrow(/closed before the write ran/);
  });
});

describe("background WAL checkpoint, through `stockproof serve`", () => {
  beforeAll(() => ensureBuilt());

  it("a clean stop leaves no WAL behind and every reservation in the database file alone", async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const path = join(temp.dir, "served.db");
    const server = await spawnReference(["--db", path, "--fresh"]);
    try {
      const client = api(server.url);
      const token = await client.login(buyer);
      for (let i = 0; i < 20; i++) {
        const reserved = await client.reserve(token, `served-${i}`, [{ productStockId: 311191, orderCount: 1 }]);
        expect(reserved.status).toBe(200);
      }
    } finally {
      expect(await server.stop("SIGTERM")).toBe(0);
    }
    expect(existsSync(`${path}-wal`)).toBe(false);
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("SELECT count(*) AS n FROM orders WHERE status = 'RESERVED'").get() as { n: number };
      expect(row.n).toBe(20);
    } finally {
      db.close();
    }
  });
});
