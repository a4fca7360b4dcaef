import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LineRequest, StockLevel } from "../../src/domain/types.js";
import { createStockService } from "../../src/service/stock-service.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { type ApiResponse, api } from "../helpers/api.js";
import { buyer } from "../helpers/reference.js";

type Json = Record<string, unknown>;
type Client = ReturnType<typeof api>;
type Sku = { productStockId: number; initial: number; available: number; held: number; paid: number };

/** A running server to fire at: in-process, or `stockproof serve --workers 2`. */
export interface ConcurrencyTarget {
  readonly url: string;
  close(): Promise<unknown>;
}

const sku = 311191;

/** What the pure ledger says a burst of one-unit reservations against `stock` units ends in. */
async function modelBurst(stock: number, calls: number) {
  const level: StockLevel = {
    productStockId: sku,
    productId: sku,
    productName: "model",
    color: "",
    size: "",
    salePrice: 0,
    initial: stock,
    available: stock,
    held: 0,
    paid: 0,
  };
  const store = createMemoryStore([level]);
  const service = createStockService({ store, catalog: [level] });
  const line: LineRequest = { kind: "stock", productStockId: sku, count: 1 };
  let reserved = 0;
  let outOfStock = 0;
  for (let i = 0; i < calls; i++) {
    const result = await service.reserve("model", { paymentOrderId: `m-${i}`, lines: [line], amount: "1" });
    if (result.ok) reserved++;
    else if (result.error.code === "OUT_OF_STOCK") outOfStock++;
  }
  const after = service.snapshot().skus[0]?.level;
  return { reserved, outOfStock, available: after?.available ?? Number.NaN };
}

function tally(responses: readonly ApiResponse<Json>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of responses) {
    const key = r.status === 200 ? "200" : `${r.status} ${String(r.body.code)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function skuState(client: Client): Promise<{ sku: Sku; orders: Json[] }> {
  const snapshot = await client.snapshot();
  expect(snapshot.body.invariantHolds).toBe(true);
  const found = (snapshot.body.skus as Sku[]).find((s) => s.productStockId === sku);
  if (found === undefined) throw new Error(`SKU ${sku} missing from the snapshot`);
  return { sku: found, orders: snapshot.body.orders as Json[] };
}

/**
 * The concurrency suite: bursts and races on one order, every request started before any is
 * awaited. Each outcome is checked against the pure ledger and the per-SKU invariant.
 */
export function describeConcurrency(name: string, start: () => Promise<ConcurrencyTarget>): void {
  describe(`concurrency against ${name}`, () => {
    let target: ConcurrencyTarget;
    let client: Client;
    let token: string;
    let round = 0;

    beforeAll(async () => {
      target = await start();
      client = api(target.url);
      token = await client.login(buyer);
    });
    afterAll(async () => target?.close());
    beforeEach(async () => {
      round++;
      expect((await client.reset()).status).toBe(200);
    });

    const setStock = async (quantity: number) => {
      expect((await client.setStock([{ productStockId: sku, quantity }])).status).toBe(200);
    };

    it("1000 one-unit reservations at once against 50 units: exactly as many succeed as the ledger says", async () => {
      const stock = 50;
      const calls = 1000;
      const expected = await modelBurst(stock, calls);
      expect(expected).toEqual({ reserved: 50, outOfStock: 950, available: 0 });
      await setStock(stock);

      const ids = Array.from({ length: calls }, (_, i) => `burst-${round}-${i}`);
      const pending = ids.map((id) => client.reserve(token, id, [{ productStockId: sku, orderCount: 1 }]));
      const responses = await Promise.all(pending);

      expect(tally(responses)).toEqual({ "200": expected.reserved, "409 OUT_OF_STOCK": expected.outOfStock });
      for (const refused of responses.filter((r) => r.status === 409)) {
        expect(refused.body.shortages).toEqual([{ productStockId: sku, requested: 1, available: 0 }]);
      }
      const after = await skuState(client);
      expect(after.sku).toMatchObject({
        initial: stock,
        available: expected.available,
        held: expected.reserved,
        paid: 0,
      });
      const winners = responses.filter((r) => r.status === 200).map((r) => r.body.paymentOrderId);
      expect(after.orders.map((o) => o.paymentOrderId).sort()).toEqual([...winners].sort());

      // The seed's 3-1 goes on to pay: every winner pays at once, and the held units become paid.
      const paid = await Promise.all(winners.map((id) => client.pay(token, String(id))));
      expect(tally(paid)).toEqual({ "200": expected.reserved });
      expect((await skuState(client)).sku).toMatchObject({ available: 0, held: 0, paid: expected.reserved });
    });

    it("many cancels of one order at once restore its stock exactly once (several orders per round)", async () => {
      const stock = 50;
      const orders = 8;
      const units = 3;
      const cancelsPerOrder = 25;
      await setStock(stock);
      const ids = Array.from({ length: orders }, (_, i) => `double-cancel-${round}-${i}`);
      for (const id of ids) {
        expect((await client.reserve(token, id, [{ productStockId: sku, orderCount: units }])).status).toBe(200);
      }
      expect((await skuState(client)).sku).toMatchObject({ available: stock - orders * units, held: orders * units });

      const pending = ids.flatMap((id) => Array.from({ length: cancelsPerOrder }, () => client.cancel(token, id)));
      const responses = await Promise.all(pending);

      expect(tally(responses)).toEqual({ "200": orders * cancelsPerOrder });
      for (const r of responses) expect(r.body.status).toBe("CANCELLED");
      const after = await skuState(client);
      expect(after.sku).toMatchObject({ initial: stock, available: stock, held: 0, paid: 0 });
      expect(after.orders.map((o) => o.status)).toEqual(ids.map(() => "CANCELLED"));
    });

    for (const repetition of [1, 2, 3]) {
      it(`pay racing cancel on one order: exactly one side wins and the stock matches it (round ${repetition})`, async () => {
        const stock = 50;
        const orders = 10;
        const units = 2;
        const each = 3;
        await setStock(stock);
        const ids = Array.from({ length: orders }, (_, i) => `race-${round}-${i}`);
        for (const id of ids) {
          expect((await client.reserve(token, id, [{ productStockId: sku, orderCount: units }])).status).toBe(200);
        }

        // Interleave pays and cancels, alternating which side is sent first.
        const fired = ids.map((id, i) =>
          Array.from({ length: each * 2 }, (_, k) =>
            (k + i) % 2 === 0
              ? client.pay(token, id).then((r) => ({ kind: "pay" as const, r }))
              : client.cancel(token, id).then((r) => ({ kind: "cancel" as const, r })),
          ),
        );
        const settled = await Promise.all(fired.map((group) => Promise.all(group)));

        let paidOrders = 0;
        const finals = new Map((await skuState(client)).orders.map((o) => [o.paymentOrderId, o.status]));
        for (const [i, group] of settled.entries()) {
          const final = finals.get(ids[i]);
          expect(["PAID", "CANCELLED"]).toContain(final);
          const pays = group.filter((g) => g.kind === "pay").map((g) => g.r);
          const cancels = group.filter((g) => g.kind === "cancel").map((g) => g.r);
          if (final === "PAID") {
            paidOrders++;
            expect(tally(pays)).toEqual({ "200": each });
            expect(tally(cancels)).toEqual({ "409 ORDER_PAID": each });
          } else {
            expect(tally(cancels)).toEqual({ "200": each });
            expect(tally(pays)).toEqual({ "409 ORDER_CANCELLED": each });
          }
        }
        const after = await skuState(client);
        expect(after.sku).toMatchObject({
          initial: stock,
          available: stock - paidOrders * units,
          held: 0,
          paid: paidOrders * units,
        });
      });
    }
  });
}
