import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/backend/catalog/catalog.js";
import { auditStock } from "../../src/backend/domain/invariant.js";
import { createStockService, type ReserveRequest } from "../../src/backend/service/stock-service.js";
import { createMemoryStore } from "../../src/backend/store/memory.js";
import { createSqliteStore } from "../../src/backend/store/sqlite/store.js";
import { tempDir } from "../helpers/reference.js";

const catalog = loadCatalog();
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function sqliteService(groupCommit: boolean) {
  const temp = tempDir();
  const store = createSqliteStore({ path: join(temp.dir, "db.sqlite"), groupCommit });
  store.replaceAll(catalog);
  cleanups.push(() => {
    store.close();
    temp.remove();
  });
  return { store, service: createStockService({ store, catalog, clock: () => 1_700_000_000_000 }) };
}

/** A deterministic mix: single-SKU carts, crossed two-SKU carts, duplicates and over-asks. */
function requests(count: number): ReserveRequest[] {
  const out: ReserveRequest[] = [];
  for (let i = 0; i < count; i++) {
    const id = i % 17 === 5 ? `order-${i - 1}` : `order-${i}`;
    const lines =
      i % 3 === 0
        ? [{ kind: "stock" as const, productStockId: 311191, count: 1 + (i % 2) }]
        : i % 3 === 1
          ? [
              { kind: "stock" as const, productStockId: 800001, count: 7 },
              { kind: "stock" as const, productStockId: 311191, count: 1 },
            ]
          : [{ kind: "stock" as const, productStockId: 800001, count: 900 }];
    out.push({ paymentOrderId: id, amount: "1000", lines });
  }
  return out;
}

describe("SQLite group commit", () => {
  it("gives every reservation the outcome a one-at-a-time model gives, in submission order", async () => {
    const model = createStockService({ store: createMemoryStore(catalog), catalog, clock: () => 1_700_000_000_000 });
    const { service, store } = sqliteService(true);
    const batch = requests(300);
    const expected = [];
    for (const request of batch) expected.push(await model.reserve("144602", request));
    // All submitted in one turn of the event loop, so they share transactions.
    const observed = await Promise.all(batch.map((request) => service.reserve("144602", request)));
    expect(observed).toEqual(expected);
    const snapshot = store.snapshot();
    expect(auditStock(snapshot.stock, snapshot.orders).every((s) => s.holds)).toBe(true);
    expect(snapshot.stock).toEqual(model.snapshot().skus.map((s) => s.level));
  });

  it("rolls back only the step that throws; the rest of its batch commits", async () => {
    const { store, service } = sqliteService(true);
    const first = service.reserve("144602", {
      paymentOrderId: "a",
      amount: "1",
      lines: [{ kind: "stock", productStockId: 311191, count: 2 }],
    });
    const broken = store.submit((tx) => {
      const level = tx.stock(311191);
      if (level === undefined) throw new Error("missing SKU");
      tx.stage({ stock: [{ ...level, available: level.available - 10, held: level.held + 10 }], orders: [] });
      throw new Error("a bug after staging");
    });
    const last = service.reserve("144602", {
      paymentOrderId: "b",
      amount: "1",
      lines: [{ kind: "stock", productStockId: 311191, count: 3 }],
    });
    await expect(broken).rejects.toThrow("a bug after staging");
    expect((await first).ok).toBe(true);
    expect((await last).ok).toBe(true);
    const level = store.snapshot().stock.find((s) => s.productStockId === 311191);
    expect(level).toMatchObject({ available: 45, held: 5 });
  });

  it("never acknowledges a reservation that is missing after the process is killed", async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const path = join(temp.dir, "crash.sqlite");
    const seeded = createSqliteStore({ path });
    seeded.replaceAll(catalog);
    seeded.close();
    // The child submits reservations in waves and prints each id once its promise resolves.
    const script = `
      import { createSqliteStore } from "./dist/backend/store/sqlite/store.js";
      import { createStockService } from "./dist/backend/service/stock-service.js";
      const store = createSqliteStore({ path: ${JSON.stringify(path)} });
      const service = createStockService({ store, catalog: [] });
      let n = 0;
      const wave = () => {
        for (let i = 0; i < 50; i++) {
          const id = "crash-" + n++;
          service.reserve("144602", { paymentOrderId: id, amount: "1", lines: [{ kind: "stock", productStockId: 800002, count: 1 }] })
            .then((r) => { if (r.ok) process.stdout.write(id + "\\n"); });
        }
        if (n < 100000) setImmediate(wave);
      };
      wave();`;
    // B has 1600 units: enough that early waves succeed, so acknowledgements stream out.
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd: process.cwd(),
      stdio: ["ignore", "pipe", "inherit"],
    });
    const acknowledged: string[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.once("exit", (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        acknowledged.push(line);
        // Kill mid-stream, while later waves are still being written.
        if (acknowledged.length === 400) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      void exited.then(() => resolve());
    });
    // Killed mid-stream, not after finishing its bounded work.
    expect(await exited).toBe("SIGKILL");
    const reopened = createSqliteStore({ path });
    const { stock, orders } = reopened.snapshot();
    reopened.close();
    const stored = new Set(orders.map((o) => o.paymentOrderId));
    const lost = acknowledged.filter((id) => !stored.has(id));
    expect(acknowledged.length).toBeGreaterThanOrEqual(400);
    expect(orders.length).toBeLessThan(100_000);
    expect(lost).toEqual([]);
    expect(auditStock(stock, orders).every((s) => s.holds)).toBe(true);
  });
});
