import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LineRequest, StockLevel } from "../../src/backend/domain/types.js";
import { createStockService } from "../../src/backend/service/stock-service.js";
import { createMemoryStore } from "../../src/backend/store/memory.js";
import { type ApiResponse, api } from "../helpers/api.js";
import { openPhase, type PhaseClient } from "../helpers/phase-client.js";
import { buyer } from "../helpers/reference.js";

type Json = Record<string, unknown>;
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

/**
 * Waits for every request of a burst to settle (none may leak into the next test), then fails with
 * the reasons if any request got no HTTP answer at all (reset, timeout, refused).
 */
async function settleAll<T>(pending: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(pending);
  const failures = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failures.length > 0) {
    const reasons = new Map<string, number>();
    for (const f of failures) {
      const reason = String((f.reason as { code?: unknown })?.code ?? f.reason);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
    throw new Error(
      `${failures.length} of ${pending.length} requests got no valid answer: ${JSON.stringify([...reasons])}`,
    );
  }
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

function tally(responses: readonly ApiResponse<Json>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of responses) {
    const key = r.status === 200 ? "200" : `${r.status} ${String(r.body.code)}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** Runs one phase of a test on its own connections, closed when the phase ends. */
async function phase<T>(base: string, token: string, work: (client: PhaseClient) => Promise<T>): Promise<T> {
  const client = openPhase(base, token);
  try {
    return await work(client);
  } finally {
    await client.close();
  }
}

async function skuState(client: PhaseClient): Promise<{ sku: Sku; orders: Json[] }> {
  const snapshot = await client.snapshot();
  expect(snapshot.body.invariantHolds).toBe(true);
  const found = (snapshot.body.skus as Sku[]).find((s) => s.productStockId === sku);
  if (found === undefined) throw new Error(`SKU ${sku} missing from the snapshot`);
  return { sku: found, orders: snapshot.body.orders as Json[] };
}

/**
 * The concurrency suite: bursts and races on one order, every request of a burst started before
 * any is awaited. Each outcome is checked against the pure ledger and the per-SKU invariant.
 */
export function describeConcurrency(name: string, start: () => Promise<ConcurrencyTarget>): void {
  describe(`concurrency against ${name}`, () => {
    let target: ConcurrencyTarget;
    let token: string;
    let round = 0;
    const run = <T>(work: (client: PhaseClient) => Promise<T>) => phase(target.url, token, work);
    const state = () => run(skuState);
    const one = (lines: number) => [{ productStockId: sku, orderCount: lines }];

    beforeAll(async () => {
      // Starting may include rebuilding dist/, which is slow on a busy machine.
      target = await start();
      token = await api(target.url).login(buyer);
    }, 240_000);
    afterAll(async () => target?.close());
    beforeEach(async () => {
      round++;
      await run(async (client) => expect((await client.reset()).status).toBe(200));
    });

    const setStock = (quantity: number) =>
      run(async (client) => expect((await client.setStock([{ productStockId: sku, quantity }])).status).toBe(200));
    const reserveEach = (ids: readonly string[], units: number) =>
      run(async (client) => {
        for (const id of ids) expect((await client.reserve(id, one(units))).status).toBe(200);
      });

    it("1000 one-unit reservations at once against 50 units: exactly as many succeed as the ledger says", async () => {
      const stock = 50;
      const calls = 1000;
      const expected = await modelBurst(stock, calls);
      expect(expected).toEqual({ reserved: 50, outOfStock: 950, available: 0 });
      await setStock(stock);

      const ids = Array.from({ length: calls }, (_, i) => `burst-${round}-${i}`);
      const responses = await run((client) => settleAll(ids.map((id) => client.reserve(id, one(1)))));

      expect(tally(responses)).toEqual({ "200": expected.reserved, "409 OUT_OF_STOCK": expected.outOfStock });
      for (const refused of responses.filter((r) => r.status === 409)) {
        expect(refused.body.shortages).toEqual([{ productStockId: sku, requested: 1, available: 0 }]);
      }
      const after = await state();
      expect(after.sku).toMatchObject({
        initial: stock,
        available: expected.available,
        held: expected.reserved,
        paid: 0,
      });
      const winners = responses.filter((r) => r.status === 200).map((r) => String(r.body.paymentOrderId));
      expect(after.orders.map((o) => o.paymentOrderId).sort()).toEqual([...winners].sort());

      // The seed's 3-1 goes on to pay: every winner pays at once, and the held units become paid.
      const paid = await run((client) => settleAll(winners.map((id) => client.pay(id))));
      expect(tally(paid)).toEqual({ "200": expected.reserved });
      expect((await state()).sku).toMatchObject({ available: 0, held: 0, paid: expected.reserved });
    });

    it("many cancels of one order at once restore its stock exactly once (several orders per round)", async () => {
      const stock = 50;
      const orders = 8;
      const units = 3;
      const cancelsPerOrder = 25;
      await setStock(stock);
      const ids = Array.from({ length: orders }, (_, i) => `double-cancel-${round}-${i}`);
      await reserveEach(ids, units);
      expect((await state()).sku).toMatchObject({ available: stock - orders * units, held: orders * units });

      const responses = await run((client) =>
        settleAll(ids.flatMap((id) => Array.from({ length: cancelsPerOrder }, () => client.cancel(id)))),
      );

      expect(tally(responses)).toEqual({ "200": orders * cancelsPerOrder });
      for (const r of responses) expect(r.body.status).toBe("CANCELLED");
      const after = await state();
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
        await reserveEach(ids, units);

        // Interleave pays and cancels, alternating which side is sent first.
        type Fired = { kind: "pay" | "cancel"; r: ApiResponse<Json> };
        const flat = await run((client) =>
          settleAll(
            ids.flatMap((id, i) =>
              Array.from(
                { length: each * 2 },
                (_, k): Promise<Fired> =>
                  (k + i) % 2 === 0
                    ? client.pay(id).then((r) => ({ kind: "pay", r }))
                    : client.cancel(id).then((r) => ({ kind: "cancel", r })),
              ),
            ),
          ),
        );
        const perOrder = ids.map((_, i) => flat.slice(i * each * 2, (i + 1) * each * 2));

        let paidOrders = 0;
        const finals = new Map((await state()).orders.map((o) => [o.paymentOrderId, o.status]));
        for (const [i, group] of perOrder.entries()) {
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
        const after = await state();
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
