import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { api } from "../helpers/api.js";
import { ensureBuilt } from "../helpers/built-cli.js";
import { createFakeClock } from "../helpers/fake-clock.js";
import { buyer, spawnReference, startReference, tempDir } from "../helpers/reference.js";
import { type OrderFigures, recomputeInvariant, type SkuFigures, scale, waitUntil } from "./support.js";

/*
 * A hold past its expiresAt no longer counts: it must never make a reservation short, and the
 * snapshot must never show it as held — whatever the backlog of holds that fell due together.
 * The attack: many one-unit holds take a SKU's whole stock; once the last has expired, one
 * reservation asks for all of it.
 */

type Api = ReturnType<typeof api>;

interface OrderBody {
  readonly paymentOrderId: string;
  readonly status: string;
  readonly expiresAt: string | null;
}

/** `count` one-unit holds of `sku`, sent `perBurst` at a time; returns the latest expiresAt (epoch ms). */
async function holdEach(client: Api, token: string, sku: number, count: number, prefix: string): Promise<number> {
  const perBurst = 100;
  let latest = 0;
  for (let start = 0; start < count; start += perBurst) {
    const burst = Array.from({ length: Math.min(perBurst, count - start) }, (_, i) =>
      client.reserve(token, `${prefix}-${start + i}`, [{ productStockId: sku, orderCount: 1 }]),
    );
    for (const response of await Promise.all(burst)) {
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      latest = Math.max(latest, Date.parse(response.body.expiresAt as string));
    }
  }
  return latest;
}

/** The snapshot shows no RESERVED order past due, and the SKU's held units are those of the RESERVED orders; returns held. */
async function expectNoDueHold(client: Api, sku: number): Promise<number> {
  const snapshot = (await client.snapshot()).body;
  const takenAt = Date.parse(snapshot.takenAt as string);
  const orders = snapshot.orders as OrderBody[];
  const reserved = orders.filter((o) => o.status === "RESERVED");
  const due = reserved.filter((o) => o.expiresAt !== null && Date.parse(o.expiresAt) <= takenAt);
  expect(due.map((o) => o.paymentOrderId)).toEqual([]);
  expect(recomputeInvariant(snapshot.skus as SkuFigures[], orders as unknown as OrderFigures[])).toEqual([]);
  const level = (snapshot.skus as SkuFigures[]).find((s) => s.productStockId === sku);
  return level?.held ?? Number.NaN;
}

describe("expired holds on the real server", () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
  });

  it("gives the whole stock back to the next reservation when thousands of holds expire together (fake clock)", async () => {
    // A line takes at most 1000 units (OrderCount), so the stock is spread over SKUs of 1000 each.
    const skus = Array.from({ length: scale(2, 5) }, (_, i) => 900_001 + i);
    const ttl = 2000;
    const clock = createFakeClock(Date.now());
    const server = await startReference({ clock: clock.now, rules: { holdTtlMs: ttl } });
    closers.push(() => server.close());
    const client = api(server.url);
    const token = await client.login(buyer);
    expect((await client.setStock(skus.map((productStockId) => ({ productStockId, quantity: 1000 })))).status).toBe(
      200,
    );
    for (const sku of skus) await holdEach(client, token, sku, 1000, `fake-${sku}`);
    clock.advance(ttl);

    const all = await client.reserve(
      token,
      "fake-all",
      skus.map((productStockId) => ({ productStockId, orderCount: 1000 })),
    );
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    for (const sku of skus) expect(await expectNoDueHold(client, sku)).toBe(1000);
  });

  // Each waits out a real 2 s TTL, so the two servers run side by side.
  for (const workers of [1, 2]) {
    it.concurrent(`serve --hold-ttl 2s --workers ${workers}: 800 expired holds never refuse a reservation of 800`, async () => {
      ensureBuilt();
      const temp = tempDir("stockproof-expiry-");
      const spawned = await spawnReference([
        "--db",
        join(temp.dir, "expiry.db"),
        "--hold-ttl",
        "2s",
        "--workers",
        String(workers),
      ]);
      closers.push(async () => {
        await spawned.stop("SIGTERM");
        temp.remove();
      });
      const client = api(spawned.url);
      const token = await client.login(buyer);
      // SKU 800001 has 800 units in the demo catalog: the holds take all of them.
      const lastExpiry = await holdEach(client, token, 800001, 800, `w${workers}`);
      await waitUntil("the last hold's expiresAt to pass", () => Date.now() > lastExpiry, 30_000);

      const all = await client.reserve(token, `w${workers}-all`, [{ productStockId: 800001, orderCount: 800 }]);
      expect(all.status, JSON.stringify(all.body)).toBe(200);
      // 800 while that reservation holds, 0 once it has expired too: never a hold past due.
      expect([0, 800]).toContain(await expectNoDueHold(client, 800001));
    });
  }
});
