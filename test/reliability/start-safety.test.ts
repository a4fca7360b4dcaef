import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/api.js";
import { ensureBuilt, type ServeOutcome, serveOutcome } from "../helpers/built-cli.js";
import { adminKey, buyer, type SpawnedReference, spawnReference, tempDir } from "../helpers/reference.js";
import { writeCatalog } from "./support.js";

/*
 * A start that fails must not cost a running server its data. Server A serves a SQLite file and
 * has acknowledged reservations; a second `stockproof serve --fresh` on the same file is started
 * the ways an operator might by mistake — on A's port, on another port, with one process or with
 * workers — and must refuse, leaving every order A acknowledged in place and payable.
 */

const sku = 900101;
const ordersPerAttack = 25;

function refusal(outcome: ServeOutcome): { code: number | null; output: string } {
  if (outcome.kind !== "exited")
    throw new Error(`expected a refusal, but the server ${outcome.kind}:\n${outcome.output}`);
  return outcome;
}

describe("a failed start does not touch a running server's database", () => {
  const temp = tempDir("stockproof-start-");
  const catalog = writeCatalog(temp.dir, [{ productStockId: sku, stock: 1000 }]);
  const db = `${temp.dir}/shared.db`;
  let serverA: SpawnedReference;
  let token: string;

  beforeAll(async () => {
    ensureBuilt();
    serverA = await spawnReference(["--db", db, "--catalog", catalog]);
    token = await api(serverA.url).login(buyer);
  });
  afterAll(async () => {
    await serverA?.stop();
    temp.remove();
  });

  /** Reserves `ordersPerAttack` orders on A; every one answered 200. */
  async function placeOrders(prefix: string): Promise<string[]> {
    const client = api(serverA.url);
    const ids = Array.from({ length: ordersPerAttack }, (_, i) => `${prefix}-${i}`);
    for (const id of ids)
      expect((await client.reserve(token, id, [{ productStockId: sku, orderCount: 1 }])).status).toBe(200);
    return ids;
  }

  /** A still has every order, held, and pays one of them. */
  async function expectIntact(ids: readonly string[]) {
    const client = api(serverA.url);
    const snapshot = (await client.snapshot(adminKey)).body as { orders: { paymentOrderId: string; status: string }[] };
    const status = new Map(snapshot.orders.map((o) => [o.paymentOrderId, o.status]));
    expect(
      ids.filter((id) => status.get(id) !== "RESERVED"),
      "orders A acknowledged, lost or changed",
    ).toEqual([]);
    expect((await client.pay(token, ids[0] as string)).status).toBe(200);
  }

  const port = () => new URL(serverA.url).port;

  it("serve --fresh on A's port: refused (port in use), A keeps its orders", async () => {
    const ids = await placeOrders("port");
    const { code, output } = refusal(
      await serveOutcome(["--fresh", "--port", port(), "--db", db, "--catalog", catalog]),
    );
    expect(code).toBe(1);
    await expectIntact(ids);
    expect(output).toMatch(new RegExp(`Port ${port()} .* already in use`));
  });

  it("serve --fresh on another port: refused (file in use), A keeps its orders", async () => {
    const ids = await placeOrders("file");
    const { code, output } = refusal(await serveOutcome(["--fresh", "--port", "0", "--db", db, "--catalog", catalog]));
    expect(code).toBe(1);
    await expectIntact(ids);
    expect(output).toContain(`another process has ${db} open`);
  });

  it("serve --fresh --workers 2 on A's port: refused once, no restart loop, A keeps its orders", async () => {
    const ids = await placeOrders("workers-port");
    const outcome = refusal(
      await serveOutcome(["--fresh", "--workers", "2", "--port", port(), "--db", db, "--catalog", catalog]),
    );
    expect(outcome.code).toBe(1);
    await expectIntact(ids);
    expect(outcome.output).toMatch(/already in use/);
    expect(outcome.output).not.toMatch(/starting a replacement/);
  });

  it("serve --fresh --workers 2 on another port: refused (file in use), A keeps its orders", async () => {
    const ids = await placeOrders("workers-file");
    const outcome = refusal(
      await serveOutcome(["--fresh", "--workers", "2", "--port", "0", "--db", db, "--catalog", catalog]),
    );
    expect(outcome.code).toBe(1);
    await expectIntact(ids);
    expect(outcome.output).toContain(`another process has ${db} open`);
  });

  it("any open connection counts (an idle reader, e.g. a sqlite3 shell); once it closes, --fresh resets", async () => {
    const ids = await placeOrders("reader");
    await serverA.stop();
    const reader = new Database(db);
    const count = () => (reader.prepare("SELECT count(*) AS n FROM orders").get() as { n: number }).n;
    try {
      const before = count();
      expect(before).toBeGreaterThanOrEqual(ids.length);
      const { code, output } = refusal(
        await serveOutcome(["--fresh", "--port", "0", "--db", db, "--catalog", catalog]),
      );
      expect(code).toBe(1);
      expect(output).toContain("another process has");
      expect(count()).toBe(before);
    } finally {
      reader.close();
    }
    // The refusal is not a blanket one: with nobody on the file, --fresh resets it to the catalog.
    serverA = await spawnReference(["--fresh", "--db", db, "--catalog", catalog]);
    const snapshot = (await api(serverA.url).snapshot(adminKey)).body as {
      orders: unknown[];
      skus: { available: number }[];
    };
    expect(snapshot.orders).toEqual([]);
    expect(snapshot.skus.map((s) => s.available)).toEqual([1000]);
  });
});
