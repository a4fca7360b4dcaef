import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { DomainError } from "../../src/backend/domain/errors.js";
import { auditStock } from "../../src/backend/domain/invariant.js";
import { defaultRules, type ReservationRules } from "../../src/backend/domain/ledger.js";
import type { LineRequest, Order, Result, StockLevel } from "../../src/backend/domain/types.js";
import { createStockService, type StockService } from "../../src/backend/service/stock-service.js";
import { createFakeClock, type FakeClock } from "../helpers/fake-clock.js";
import { type OpenedStore, storeTargets } from "../helpers/store-targets.js";

const buyer = "144602";
const other = "144603";

const sku = (productStockId: number, productId: number, color: string, size: string, stock: number): StockLevel => ({
  productStockId,
  productId,
  productName: `Product ${productId}`,
  color,
  size,
  salePrice: 1000,
  initial: stock,
  available: stock,
  held: 0,
  paid: 0,
});

const catalog: readonly StockLevel[] = [
  sku(1001, 10, "BLACK", "L", 5),
  sku(1002, 10, "WHITE", "M", 3),
  sku(1003, 20, "NONE", "FREE", 10),
];

const stockOf = (productStockId: number): StockLevel => {
  const level = catalog.find((l) => l.productStockId === productStockId);
  if (level === undefined) throw new Error(`no SKU ${productStockId} in the test catalog`);
  return level;
};

const line = (productStockId: number, count: number): LineRequest => ({ kind: "stock", productStockId, count });
const info = (productId: number, color: string, size: string, count: number): LineRequest => ({
  kind: "product",
  productId,
  color,
  size,
  count,
});

function value<T>(result: Result<T, DomainError>): T {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.value;
}

function refusal<T>(result: Result<T, DomainError>): DomainError {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.error;
}

for (const target of storeTargets) {
  describe(`stock service over the ${target.name}`, () => {
    let opened: OpenedStore;
    let clock: FakeClock;
    let service: StockService;

    const start = (rules: Partial<ReservationRules> = {}) => {
      opened?.dispose();
      opened = target.open(catalog);
      clock = createFakeClock();
      service = createStockService({ store: opened.store, catalog, clock: clock.now, rules });
    };

    /** The invariant must hold after every step, in the service's audit and recomputed here. */
    const expectSound = () => {
      const snapshot = service.snapshot();
      expect(snapshot.invariantHolds).toBe(true);
      for (const audit of auditStock(
        snapshot.skus.map((s) => s.level),
        snapshot.orders,
      )) {
        expect(audit.holds, `SKU ${audit.level.productStockId}`).toBe(true);
        expect(audit.level.initial).toBe(audit.level.available + audit.level.held + audit.level.paid);
      }
    };

    /** Runs one use-case and checks the invariant right after it. */
    const step = async <T>(run: Promise<Result<T, DomainError>>): Promise<Result<T, DomainError>> => {
      const result = await run;
      expectSound();
      return result;
    };

    const level = (productStockId: number) => {
      const found = service.snapshot().skus.find((s) => s.level.productStockId === productStockId);
      if (found === undefined) throw new Error(`SKU ${productStockId} missing from the snapshot`);
      return found.level;
    };
    const state = () => {
      const { skus, orders } = service.snapshot();
      return { skus, orders };
    };
    const reserve = (paymentOrderId: string, lines: readonly LineRequest[], owner = buyer) =>
      step(service.reserve(owner, { paymentOrderId, lines, amount: "1500" }));

    beforeEach(() => start());
    afterEach(() => {
      expectSound();
      opened.dispose();
    });

    describe("reserve", () => {
      it("holds the units of every line and records the order as RESERVED", async () => {
        const order = value(await reserve("P-1", [line(1001, 2), line(1003, 4)]));
        expect(order).toMatchObject({ paymentOrderId: "P-1", owner: buyer, status: "RESERVED", amount: "1500" });
        expect(order.lines.map((l) => [l.productStockId, l.count])).toEqual([
          [1001, 2],
          [1003, 4],
        ]);
        expect(order.createdAt).toBe(clock.now());
        expect(order.expiresAt).toBeNull();
        expect(level(1001)).toMatchObject({ available: stockOf(1001).available - 2, held: 2, paid: 0 });
        expect(level(1003)).toMatchObject({ available: stockOf(1003).available - 4, held: 4, paid: 0 });
        expect(level(1002)).toMatchObject({ available: stockOf(1002).available, held: 0 });
        expect(service.snapshot().orders).toEqual([order]);
      });

      it("resolves productInfoList lines by productId, color and size", async () => {
        const order = value(await reserve("P-info", [info(10, "WHITE", "M", 2)]));
        expect(order.lines).toEqual([
          {
            productStockId: 1002,
            productId: 10,
            productName: "Product 10",
            color: "WHITE",
            size: "M",
            count: 2,
          },
        ]);
        expect(level(1002)).toMatchObject({ available: stockOf(1002).available - 2, held: 2 });
      });

      it("adds lines of the same SKU together", async () => {
        const order = value(await reserve("P-sum", [line(1001, 2), info(10, "BLACK", "L", 1), line(1001, 1)]));
        expect(order.lines).toHaveLength(1);
        expect(order.lines[0]).toMatchObject({ productStockId: 1001, count: 4 });
        expect(level(1001)).toMatchObject({ available: stockOf(1001).available - 4, held: 4 });
      });

      it("judges stock against the summed count of same-SKU lines", async () => {
        const each = stockOf(1002).available;
        const before = state();
        const error = refusal(await reserve("P-sum-short", [line(1002, each), line(1002, 1)]));
        expect(error).toEqual({
          code: "OUT_OF_STOCK",
          shortages: [{ productStockId: 1002, requested: each + 1, available: each }],
        });
        expect(state()).toEqual(before);
      });

      it("refuses with OUT_OF_STOCK naming each short SKU and takes nothing", async () => {
        const before = state();
        const want1 = stockOf(1001).available + 1;
        const want2 = stockOf(1002).available + 2;
        const error = refusal(await reserve("P-short", [line(1001, want1), line(1003, 1), line(1002, want2)]));
        expect(error).toEqual({
          code: "OUT_OF_STOCK",
          shortages: [
            { productStockId: 1001, requested: want1, available: stockOf(1001).available },
            { productStockId: 1002, requested: want2, available: stockOf(1002).available },
          ],
        });
        expect(state()).toEqual(before);
      });

      it("is all-or-nothing across two SKUs: the SKU with enough stock is not touched either", async () => {
        value(await reserve("P-drain", [line(1002, stockOf(1002).available - 1)]));
        const before = state();
        const error = refusal(await reserve("P-cart", [line(1001, 2), line(1002, 2)]));
        expect(error).toEqual({
          code: "OUT_OF_STOCK",
          shortages: [{ productStockId: 1002, requested: 2, available: 1 }],
        });
        expect(state()).toEqual(before);
        expect(level(1001)).toMatchObject({ available: stockOf(1001).available, held: 0 });
      });

      it("refuses a paymentOrderId that was already reserved, for any user, without a second hold", async () => {
        const first = value(await reserve("P-dup", [line(1001, 1)]));
        const before = state();
        expect(refusal(await reserve("P-dup", [line(1001, 1)]))).toEqual({
          code: "DUPLICATE_PAYMENT_ORDER",
          paymentOrderId: "P-dup",
        });
        expect(refusal(await reserve("P-dup", [line(1003, 1)], other)).code).toBe("DUPLICATE_PAYMENT_ORDER");
        expect(state()).toEqual(before);
        expect(service.snapshot().orders).toEqual([first]);
      });

      it("refuses a paymentOrderId even after its order was cancelled", async () => {
        value(await reserve("P-reuse", [line(1001, 1)]));
        value(await step(service.cancel(buyer, "P-reuse")));
        const before = state();
        expect(refusal(await reserve("P-reuse", [line(1001, 1)])).code).toBe("DUPLICATE_PAYMENT_ORDER");
        expect(state()).toEqual(before);
      });

      it("refuses unknown SKUs by productStockId and by productId + color + size, naming each", async () => {
        const before = state();
        expect(refusal(await reserve("P-unknown", [line(1001, 1), line(999_999, 1)]))).toEqual({
          code: "UNKNOWN_SKU",
          unknown: ["999999"],
        });
        expect(
          refusal(
            await reserve("P-unknown-info", [
              info(10, "RED", "L", 1),
              info(10, "BLACK", "L", 1),
              info(77, "X", "Y", 1),
            ]),
          ),
        ).toEqual({ code: "UNKNOWN_SKU", unknown: ["productId 10 RED/L", "productId 77 X/Y"] });
        expect(state()).toEqual(before);
      });

      it("refuses a reservation without line items", async () => {
        const before = state();
        expect(refusal(await reserve("P-empty", []))).toEqual({ code: "NO_LINE_ITEMS" });
        expect(state()).toEqual(before);
      });

      it("refuses more line items than the rules allow", async () => {
        const lines = Array.from({ length: defaultRules.maxLines + 1 }, () => line(1003, 1));
        const before = state();
        expect(refusal(await reserve("P-many", lines))).toEqual({
          code: "TOO_MANY_LINE_ITEMS",
          max: defaultRules.maxLines,
          got: defaultRules.maxLines + 1,
        });
        expect(state()).toEqual(before);
        // Exactly the maximum is fine (each line 1 unit of a SKU with enough stock).
        start({ maxLines: 3 });
        value(await reserve("P-max", [line(1003, 1), line(1003, 1), line(1003, 1)]));
        expect(
          refusal(await reserve("P-max+1", [line(1003, 1), line(1003, 1), line(1003, 1), line(1003, 1)])).code,
        ).toBe("TOO_MANY_LINE_ITEMS");
      });

      it.each([
        ["zero", 0],
        ["negative", -2],
        ["fractional", 1.5],
        ["above the maximum", defaultRules.maxCount + 1],
        ["not a number", Number.NaN],
        ["unsafe", Number.MAX_SAFE_INTEGER + 2],
      ])("refuses a %s count with INVALID_COUNT naming the line", async (_label, count) => {
        const before = state();
        expect(refusal(await reserve("P-count", [line(1003, 1), line(1001, count)]))).toEqual({
          code: "INVALID_COUNT",
          line: 1,
          min: 1,
          max: defaultRules.maxCount,
          got: count,
        });
        expect(state()).toEqual(before);
      });

      it("refuses same-SKU lines whose sum exceeds the count limit", async () => {
        start({ maxCount: 4 });
        const before = state();
        expect(refusal(await reserve("P-sum-max", [line(1003, 3), line(1003, 2)]))).toMatchObject({
          code: "INVALID_COUNT",
          max: 4,
          got: 5,
        });
        expect(state()).toEqual(before);
      });
    });

    describe("pay", () => {
      it("moves a RESERVED order to PAID and its units from held to paid; repeating it changes nothing", async () => {
        const reserved = value(await reserve("P-pay", [line(1001, 2)]));
        clock.advance(1000);
        const paid = value(await step(service.pay(buyer, "P-pay")));
        expect(paid).toEqual({ ...reserved, status: "PAID", updatedAt: clock.now() });
        expect(level(1001)).toMatchObject({ available: stockOf(1001).available - 2, held: 0, paid: 2 });
        const before = state();
        clock.advance(1000);
        expect(value(await step(service.pay(buyer, "P-pay")))).toEqual(paid);
        expect(state()).toEqual(before);
      });

      it("refuses to pay a cancelled order and leaves the stock as the cancel left it", async () => {
        value(await reserve("P-pay-cancelled", [line(1001, 2)]));
        value(await step(service.cancel(buyer, "P-pay-cancelled")));
        const before = state();
        expect(refusal(await step(service.pay(buyer, "P-pay-cancelled")))).toEqual({
          code: "ORDER_CANCELLED",
          paymentOrderId: "P-pay-cancelled",
        });
        expect(state()).toEqual(before);
        expect(level(1001)).toMatchObject({ available: stockOf(1001).available, held: 0, paid: 0 });
      });
    });

    describe("cancel", () => {
      it("restores the stock exactly once; repeating it changes nothing", async () => {
        const reserved = value(await reserve("P-cancel", [line(1001, 2), line(1002, 1)]));
        clock.advance(500);
        const cancelled = value(await step(service.cancel(buyer, "P-cancel")));
        expect(cancelled).toEqual({ ...reserved, status: "CANCELLED", updatedAt: clock.now() });
        expect(level(1001)).toMatchObject({ available: stockOf(1001).available, held: 0, paid: 0 });
        expect(level(1002)).toMatchObject({ available: stockOf(1002).available, held: 0, paid: 0 });
        const before = state();
        for (let i = 0; i < 3; i++) {
          clock.advance(500);
          expect(value(await step(service.cancel(buyer, "P-cancel")))).toEqual(cancelled);
        }
        expect(state()).toEqual(before);
      });

      it("refuses to cancel a paid order", async () => {
        value(await reserve("P-cancel-paid", [line(1001, 1)]));
        value(await step(service.pay(buyer, "P-cancel-paid")));
        const before = state();
        expect(refusal(await step(service.cancel(buyer, "P-cancel-paid")))).toEqual({
          code: "ORDER_PAID",
          paymentOrderId: "P-cancel-paid",
        });
        expect(state()).toEqual(before);
      });
    });

    describe("ownership", () => {
      it("answers ORDER_NOT_FOUND for another user's order and for an unknown one, touching nothing", async () => {
        value(await reserve("P-mine", [line(1001, 1)]));
        const before = state();
        for (const act of [service.pay, service.cancel]) {
          expect(refusal(await step(act(other, "P-mine")))).toEqual({
            code: "ORDER_NOT_FOUND",
            paymentOrderId: "P-mine",
          });
          expect(refusal(await step(act(buyer, "P-nobody"))).code).toBe("ORDER_NOT_FOUND");
        }
        expect(state()).toEqual(before);
        // The owner can still act on it.
        expect(value(await step(service.pay(buyer, "P-mine"))).status).toBe("PAID");
      });
    });

    describe("hold TTL with an injected clock", () => {
      const ttl = 60_000;
      beforeEach(() => start({ holdTtlMs: ttl }));

      it("stamps the expiry and keeps the hold until the TTL has passed", async () => {
        const order = value(await reserve("P-ttl", [line(1001, 2)]));
        expect(order.expiresAt).toBe(clock.now() + ttl);
        clock.advance(ttl - 1);
        expect(service.sweep()).toBe(0);
        expect(level(1001)).toMatchObject({ held: 2 });
        expect(value(await step(service.pay(buyer, "P-ttl"))).status).toBe("PAID");
        clock.advance(ttl * 10);
        expect(service.sweep()).toBe(0);
        expect(level(1001)).toMatchObject({ held: 0, paid: 2 });
      });

      it("returns the stock of an expired hold", async () => {
        const order = value(await reserve("P-exp", [line(1001, 2), line(1003, 3)]));
        clock.advance(ttl);
        expect(service.sweep()).toBe(1);
        expectSound();
        expect(level(1001)).toMatchObject({ available: stockOf(1001).available, held: 0 });
        expect(level(1003)).toMatchObject({ available: stockOf(1003).available, held: 0 });
        expect(service.snapshot().orders).toEqual([{ ...order, status: "EXPIRED", updatedAt: clock.now() }]);
        expect(service.sweep()).toBe(0);
      });

      it("refuses to pay an expired order with ORDER_EXPIRED, returning its stock", async () => {
        value(await reserve("P-exp-pay", [line(1001, 2)]));
        clock.advance(ttl);
        expect(refusal(await step(service.pay(buyer, "P-exp-pay")))).toEqual({
          code: "ORDER_EXPIRED",
          paymentOrderId: "P-exp-pay",
        });
        expect(level(1001)).toMatchObject({ available: stockOf(1001).available, held: 0, paid: 0 });
        expect(refusal(await step(service.pay(buyer, "P-exp-pay"))).code).toBe("ORDER_EXPIRED");
      });

      it("answers a cancel of an expired order with the order unchanged, restoring nothing twice", async () => {
        value(await reserve("P-exp-cancel", [line(1001, 2)]));
        clock.advance(ttl);
        const expired = value(await step(service.cancel(buyer, "P-exp-cancel")));
        expect(expired.status).toBe("EXPIRED");
        expect(level(1001)).toMatchObject({ available: stockOf(1001).available, held: 0 });
        const before = state();
        clock.advance(1000);
        expect(value(await step(service.cancel(buyer, "P-exp-cancel")))).toEqual(expired);
        expect(state()).toEqual(before);
      });

      it("sweeps due holds on a reservation so their stock can be reserved again", async () => {
        const all = stockOf(1001).available;
        value(await reserve("P-first", [line(1001, all)]));
        clock.advance(ttl - 1);
        expect(refusal(await reserve("P-early", [line(1001, 1)])).code).toBe("OUT_OF_STOCK");
        clock.advance(1);
        const second = value(await reserve("P-second", [line(1001, all)]));
        expect(second.status).toBe("RESERVED");
        const orders = new Map(service.snapshot().orders.map((o) => [o.paymentOrderId, o.status]));
        expect(Object.fromEntries(orders)).toEqual({ "P-first": "EXPIRED", "P-second": "RESERVED" });
        expect(level(1001)).toMatchObject({ available: 0, held: all });
      });

      /** `count` one-unit holds of SKU 1003 reserved together (one group commit on SQLite), under `prefix`. */
      const holdMany = async (prefix: string, count: number) => {
        const results = await Promise.all(
          Array.from({ length: count }, (_, i) =>
            service.reserve(buyer, { paymentOrderId: `${prefix}-${i}`, lines: [line(1003, 1)], amount: "1" }),
          ),
        );
        expect(results.filter((r) => !r.ok)).toEqual([]);
      };
      const backlog = 3000;

      it("releases every due hold before deciding, however many: a reservation right after expiry gets all the stock", async () => {
        start({ holdTtlMs: ttl, maxCount: backlog });
        service.setStock([{ productStockId: 1003, quantity: backlog }]);
        await holdMany("P-bulk", backlog);
        expect(
          refusal(await service.reserve(buyer, { paymentOrderId: "P-early", lines: [line(1003, 1)], amount: "1" }))
            .code,
        ).toBe("OUT_OF_STOCK");
        clock.advance(ttl);
        // No snapshot or sweep in between: the reservation itself must see every expired unit.
        const all = await service.reserve(buyer, {
          paymentOrderId: "P-all",
          lines: [line(1003, backlog)],
          amount: "1",
        });
        expect(value(all).lines).toMatchObject([{ productStockId: 1003, count: backlog }]);
        expect(level(1003)).toMatchObject({ available: 0, held: backlog });
        const statuses = new Map<string, number>();
        for (const order of service.snapshot().orders)
          statuses.set(order.status, (statuses.get(order.status) ?? 0) + 1);
        expect(Object.fromEntries(statuses)).toEqual({ EXPIRED: backlog, RESERVED: 1 });
      });

      it("never shows a due hold in the snapshot, and releases exactly the due ones", async () => {
        start({ holdTtlMs: ttl, maxCount: backlog });
        service.setStock([{ productStockId: 1003, quantity: backlog }]);
        await holdMany("P-old", backlog - 100);
        clock.advance(ttl / 2);
        await holdMany("P-new", 100);
        clock.advance(ttl / 2);
        const snapshot = service.snapshot();
        const held = snapshot.orders.filter((o) => o.status === "RESERVED");
        expect(held.length).toBe(100);
        expect(held.filter((o) => o.expiresAt === null || o.expiresAt <= snapshot.takenAt)).toEqual([]);
        expect(level(1003)).toMatchObject({ available: backlog - 100, held: 100 });
        expect(
          refusal(
            await service.reserve(buyer, { paymentOrderId: "P-over", lines: [line(1003, backlog)], amount: "1" }),
          ),
        ).toEqual({
          code: "OUT_OF_STOCK",
          shortages: [{ productStockId: 1003, requested: backlog, available: backlog - 100 }],
        });
      });
    });

    describe("test control", () => {
      it("setStock sets available and recomputes initial = available + held + paid", async () => {
        value(await reserve("P-held", [line(1001, 2)]));
        value(await reserve("P-paid", [line(1001, 1)]));
        value(await step(service.pay(buyer, "P-paid")));
        const snapshot = value(service.setStock([{ productStockId: 1001, quantity: 7 }]));
        expect(snapshot.invariantHolds).toBe(true);
        expect(level(1001)).toMatchObject({ available: 7, held: 2, paid: 1, initial: 7 + 2 + 1 });
        expectSound();
        // The held units still go back on cancel, on top of the new level.
        value(await step(service.cancel(buyer, "P-held")));
        expect(level(1001)).toMatchObject({ available: 9, held: 0, paid: 1, initial: 10 });
      });

      it("setStock creates a SKU that does not exist, with defaults for missing product fields", () => {
        service.setStock([{ productStockId: 4242, quantity: 12 }]);
        expect(level(4242)).toEqual({
          productStockId: 4242,
          productId: 4242,
          productName: "SKU 4242",
          color: "",
          size: "",
          salePrice: 0,
          initial: 12,
          available: 12,
          held: 0,
          paid: 0,
        });
      });

      it("setStock refuses, changing nothing, two SKUs with one productId + color + size", () => {
        const before = state();
        const onto1001 = { productId: 10, color: "BLACK", size: "L" };
        expect(refusal(service.setStock([{ productStockId: 4242, quantity: 1, ...onto1001 }]))).toEqual({
          code: "SKU_CONFLICT",
          first: { ...stockOf(1001), ...onto1001 },
          second: expect.objectContaining({ productStockId: 4242, ...onto1001 }),
        });
        expect(state()).toEqual(before);
        // An existing SKU moved onto another's variant, and two new SKUs sharing one.
        expect(refusal(service.setStock([{ productStockId: 1002, quantity: 3, ...onto1001 }])).code).toBe(
          "SKU_CONFLICT",
        );
        const twins = [4243, 4244].map((productStockId) => ({ productStockId, quantity: 1, productId: 99 }));
        expect(refusal(service.setStock(twins)).code).toBe("SKU_CONFLICT");
        // An item naming a SKU's own variant, or repeating the SKU, is no conflict.
        value(
          service.setStock([
            { productStockId: 1001, quantity: 5, ...onto1001 },
            { productStockId: 1001, quantity: 5 },
          ]),
        );
        expect(state()).toEqual(before);
      });

      it("setStock judges variants on the result: two SKUs may swap theirs in one request", async () => {
        value(
          service.setStock([
            { productStockId: 1001, quantity: 5, productId: 10, color: "WHITE", size: "M" },
            { productStockId: 1002, quantity: 3, productId: 10, color: "BLACK", size: "L" },
          ]),
        );
        const white = value(await reserve("P-white", [info(10, "WHITE", "M", 1)]));
        const black = value(await reserve("P-black", [info(10, "BLACK", "L", 1)]));
        expect(white.lines.map((l) => l.productStockId)).toEqual([1001]);
        expect(black.lines.map((l) => l.productStockId)).toEqual([1002]);
      });

      it("reset deletes every order and restores the catalog", async () => {
        value(await reserve("P-r1", [line(1001, 2)]));
        value(await reserve("P-r2", [line(1002, 1)]));
        value(await step(service.pay(buyer, "P-r2")));
        service.setStock([{ productStockId: 4242, quantity: 1 }]);
        const after = service.reset();
        expect(after.orders).toEqual([]);
        expect(after.skus.map((s) => s.level)).toEqual([...catalog]);
        // The ids are free again.
        value(await reserve("P-r1", [line(1001, 1)]));
      });
    });

    describe("atomicity", () => {
      it("writes nothing when a step throws, and the next step sees the old state", async () => {
        value(await reserve("P-before", [line(1001, 1)]));
        const before = state();
        const bogus = { ...stockOf(1003), available: 0, held: 99 };
        expect(() =>
          opened.store.decide((tx) => {
            tx.stage({ stock: [bogus], orders: [] });
            expect(tx.stock(1003)).toEqual(bogus);
            throw new Error("boom");
          }),
        ).toThrow("boom");
        expect(state()).toEqual(before);
        await expect(
          opened.store.submit((tx) => {
            tx.stage({ stock: [bogus], orders: [] });
            throw new Error("boom again");
          }),
        ).rejects.toThrow("boom again");
        expect(state()).toEqual(before);
      });

      it("rolls back only the throwing step when steps are submitted together", async () => {
        const bogus = { ...stockOf(1003), available: 0, held: 99 };
        const results = await Promise.allSettled([
          service.reserve(buyer, { paymentOrderId: "P-a", lines: [line(1001, 1)], amount: "1" }),
          opened.store.submit((tx) => {
            tx.stage({ stock: [bogus], orders: [] });
            throw new Error("boom");
          }),
          service.reserve(buyer, { paymentOrderId: "P-b", lines: [line(1003, 2)], amount: "1" }),
        ]);
        expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
        expect(level(1003)).toMatchObject({ available: stockOf(1003).available - 2, held: 2 });
        expect(level(1001)).toMatchObject({ available: stockOf(1001).available - 1, held: 1 });
        expect(
          service
            .snapshot()
            .orders.map((o: Order) => o.paymentOrderId)
            .sort(),
        ).toEqual(["P-a", "P-b"]);
      });

      if (!target.durable) return;
      it("keeps committed state for the next connection to the same file", async () => {
        if (opened.reopen === null) throw new Error("a durable target must offer reopen");
        value(await reserve("P-durable", [line(1001, 2)]));
        value(await step(service.pay(buyer, "P-durable")));
        const again = opened.reopen().snapshot();
        const mine = opened.store.snapshot();
        expect(again).toEqual(mine);
      });
    });
  });
}
