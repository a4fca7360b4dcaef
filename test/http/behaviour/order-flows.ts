import { beforeEach, describe, expect, it } from "vitest";
import { seedCustomData, seedQuery } from "../../../src/verify/calls/cases/seed-sample.js";
import { reserve, setStock } from "../../../src/verify/calls/index.js";
import { reserveLines, reserveRequest, setStockRequest } from "../../../src/verify/calls/requests.js";
import type { MatrixContext } from "../../helpers/matrix/describe-matrix.js";
import { json } from "../../helpers/matrix/judge.js";

type Sku = { productStockId: number; initial: number; available: number; held: number; paid: number };
const untimed = (snapshot: Record<string, unknown>) => ({ ...snapshot, takenAt: null });

async function skus(ctx: MatrixContext): Promise<Map<number, Sku>> {
  return new Map(((await ctx.snapshot()).skus as Sku[]).map((s) => [s.productStockId, s]));
}

export async function sku(ctx: MatrixContext, productStockId: number): Promise<Sku> {
  const found = (await skus(ctx)).get(productStockId);
  if (found === undefined) throw new Error(`SKU ${productStockId} missing from the snapshot`);
  return found;
}

/** Reserve, pay, cancel and their refusals in sequence against the demo catalog (orders.test.ts before the matrix). */
export function orderFlows(ctx: MatrixContext): void {
  describe("the order flow against the demo catalog", () => {
    let token: string;
    beforeEach(async () => {
      await ctx.reset();
      ({ token } = await ctx.tokens());
    });
    const twoUnits = (id: string) => reserveLines(token, id, [{ productStockId: 311191, orderCount: 2 }]);
    const seedSample = "reserveStock: the seed's own sample request (amount 1500 vs finalAmount 3000, full customData)";

    it("accepts the seed's own sample request (amount 1500 vs finalAmount 3000, full customData)", async () => {
      const before = await sku(ctx, 311191);
      const response = await ctx.call(seedSample, { id: "testorder210621112151" });
      expect(response.body).toMatchObject({
        // The query's paymentOrderId wins over customData's.
        paymentOrderId: "testorder210621112151",
        status: "RESERVED",
        userName: "144602",
        amount: "1500",
        lines: [
          {
            productStockId: 311191,
            productId: 219622,
            productName: "210521 KINGMING TEST PRODUCT 003",
            color: "BLACK",
            size: "L",
            count: 1,
          },
        ],
        expiresAt: null,
      });
      expect(await sku(ctx, 311191)).toMatchObject({ available: before.available - 1, held: before.held + 1 });
      // The seed increments the id for the next call; that one is accepted too, the same id is not.
      await ctx.call(seedSample, { id: "testorder210621112152" });
      const again = reserveRequest(token, seedQuery("testorder210621112151"));
      await ctx.call("reserveStock: duplicate paymentOrderId", { order: "testorder210621112151" }, again);
    });

    it("takes line items from productInfoList when productStockList is null", async () => {
      const data = JSON.parse(seedCustomData) as Record<string, unknown>;
      data.productStockList = null;
      (data.productInfoList as Record<string, unknown>[])[0] = {
        productId: 219622,
        color: "BLACK",
        size: "L",
        count: 3,
      };
      const before = await sku(ctx, 311191);
      const request = reserveRequest(token, seedQuery("info-list-1", JSON.stringify(data)));
      const response = await ctx.call("reserveStock: reserve by productInfoList", {}, request);
      expect(json(response).lines).toMatchObject([{ productStockId: 311191, count: 3 }]);
      expect(await sku(ctx, 311191)).toMatchObject({ available: before.available - 3, held: before.held + 3 });
    });

    it("reserves all-or-nothing across two SKUs and names each short SKU", async () => {
      const before = await skus(ctx);
      const a = before.get(800001) as Sku;
      const b = before.get(800002) as Sku;
      const cart = (id: string, first: number) =>
        reserveLines(token, id, [
          { productStockId: 800001, orderCount: first },
          { productStockId: 800002, orderCount: 1 },
        ]);
      await ctx.call(reserve, {}, cart("cart-ok", 3));
      await ctx.call(setStock, {}, setStockRequest("stockproof-admin", [{ productStockId: 800002, quantity: 0 }]));
      const middle = await ctx.snapshot();
      const short = await ctx.call("reserveStock: a cart short on one SKU takes nothing", {}, cart("cart-short", 2));
      expect(short.body).toMatchObject({ shortages: [{ productStockId: 800002, requested: 1, available: 0 }] });
      expect(untimed(await ctx.snapshot())).toEqual(untimed(middle));
      expect((await skus(ctx)).get(800001)).toMatchObject({ available: a.available - 3, held: 3 });
      expect(b.available).toBeGreaterThan(0);
    });

    it("pays once (repeat 200, same state), refuses to cancel a paid order", async () => {
      const before = await sku(ctx, 311191);
      const reserved = await ctx.call(reserve, {}, twoUnits("flow-pay"));
      expect(json(reserved).status).toBe("RESERVED");
      const paid = await ctx.call("payOrder: pay", { order: "flow-pay" });
      expect(json(paid).status).toBe("PAID");
      const repeat = await ctx.call("payOrder: pay again", { order: "flow-pay" });
      expect(repeat.body).toEqual(paid.body);
      await ctx.call("cancelOrder: cancel a paid order", { order: "flow-pay" });
      expect(await sku(ctx, 311191)).toMatchObject({ available: before.available - 2, held: 0, paid: 2 });
    });

    it("cancels once (repeat 200, no second restore), refuses to pay a cancelled order", async () => {
      const before = await sku(ctx, 311191);
      await ctx.call(reserve, {}, twoUnits("flow-cancel"));
      const cancelled = await ctx.call("cancelOrder: cancel", { order: "flow-cancel" });
      expect(json(cancelled).status).toBe("CANCELLED");
      const repeat = await ctx.call("cancelOrder: cancel again", { order: "flow-cancel" });
      expect(repeat.body).toEqual(cancelled.body);
      await ctx.call("payOrder: pay a cancelled order", { order: "flow-cancel" });
      expect(await sku(ctx, 311191)).toMatchObject({ available: before.available, held: 0, paid: 0 });
    });

    it("hides another user's order behind 404 and leaves it untouched", async () => {
      await ctx.call(reserve, { id: "mine-1" });
      const before = await ctx.snapshot();
      await ctx.call("payOrder: another user's order", { order: "mine-1" });
      await ctx.call("cancelOrder: another user's order", { order: "mine-1" });
      expect(untimed(await ctx.snapshot())).toEqual(untimed(before));
    });
  });
}
