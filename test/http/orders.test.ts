import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { api, customData, reserveQuery } from "../helpers/api.js";
import { createFakeClock } from "../helpers/fake-clock.js";
import { buyer, other, type RunningReference, startReference } from "../helpers/reference.js";

type Client = ReturnType<typeof api>;
type Sku = { productStockId: number; initial: number; available: number; held: number; paid: number };

/** customData exactly as SEED-EN.md §2-1 prints it. */
const seedCustomData =
  '{"orderId":0,"addressId":84577,"iamportId":null,"payMethod":"card","usePoint":0,' +
  '"shippingFee":0,"shippingText":"","paymentOrderId":"P_1624337711110_144602_843b81",' +
  '"userId":144602,"paymentAmount":0.0,"eventProductPriceId":null,"eventProductPriceListId":null,' +
  '"linkprice":null,' +
  '"productInfoList":[{"productId":219622,"color":"BLACK","size":"L","colorId":null,"sizeId":null,"count":1}],' +
  '"couponCodeList":[],"finalAmount":3000,"productInStockList":null,' +
  '"productStockList":[{"productId":219622,"boutiqueId":1,"productName":"210521 KINGMING TEST PRODUCT 003",' +
  '"salePrice":3000.00,"productStockId":311191,"colorId":73,"sizeId":1060,"color":"BLACK","size":"L",' +
  '"shippingFee":0.00,"orderCount":1,"crawlerUpdatedAt":1621507684000,"supplier":1212,"ordering":3}]}';

const seedQuery = (paymentOrderId: string, data = seedCustomData) =>
  new URLSearchParams({
    storeId: "itsdcode",
    merchantId: "itsdcode",
    amount: "1500",
    timestamp: "20210621",
    paymentOrderId,
    customData: data,
  }).toString();

async function skus(client: Client): Promise<Map<number, Sku>> {
  const snapshot = await client.snapshot();
  expect(snapshot.body.invariantHolds).toBe(true);
  return new Map((snapshot.body.skus as Sku[]).map((s) => [s.productStockId, s]));
}

async function sku(client: Client, productStockId: number): Promise<Sku> {
  const found = (await skus(client)).get(productStockId);
  if (found === undefined) throw new Error(`SKU ${productStockId} missing from the snapshot`);
  return found;
}

describe("order flow over HTTP against the demo catalog", () => {
  let server: RunningReference;
  let http: Client;
  let token: string;
  let otherToken: string;
  beforeAll(async () => {
    server = await startReference();
    http = api(server.url);
    [token, otherToken] = await Promise.all([http.login(buyer), http.login(other)]);
  });
  beforeEach(async () => {
    await http.reset();
  });
  afterAll(async () => server?.close());

  it("accepts the seed's own sample request (amount 1500 vs finalAmount 3000, full customData)", async () => {
    const before = await sku(http, 311191);
    const response = await http.reserveRaw(token, seedQuery("testorder210621112151"));
    expect(response.status).toBe(200);
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
    expect(await sku(http, 311191)).toMatchObject({ available: before.available - 1, held: before.held + 1 });
    // The seed increments the id for the next call; that one is accepted too, the same id is not.
    expect((await http.reserveRaw(token, seedQuery("testorder210621112152"))).status).toBe(200);
    const again = await http.reserveRaw(token, seedQuery("testorder210621112151"));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("DUPLICATE_PAYMENT_ORDER");
  });

  it("takes line items from productInfoList when productStockList is null", async () => {
    const data = JSON.parse(seedCustomData) as Record<string, unknown>;
    data.productStockList = null;
    (data.productInfoList as Record<string, unknown>[])[0] = { productId: 219622, color: "BLACK", size: "L", count: 3 };
    const before = await sku(http, 311191);
    const response = await http.reserveRaw(token, seedQuery("info-list-1", JSON.stringify(data)));
    expect(response.status).toBe(200);
    expect(response.body.lines).toMatchObject([{ productStockId: 311191, count: 3 }]);
    expect(await sku(http, 311191)).toMatchObject({ available: before.available - 3, held: before.held + 3 });
  });

  it("reserves all-or-nothing across two SKUs and names each short SKU", async () => {
    const before = await skus(http);
    const a = before.get(800001) as Sku;
    const b = before.get(800002) as Sku;
    const fits = await http.reserve(token, "cart-ok", [
      { productStockId: 800001, orderCount: 3 },
      { productStockId: 800002, orderCount: 1 },
    ]);
    expect(fits.status).toBe(200);
    await http.setStock([{ productStockId: 800002, quantity: 0 }]);
    const middle = await http.snapshot();
    const short = await http.reserve(token, "cart-short", [
      { productStockId: 800001, orderCount: 2 },
      { productStockId: 800002, orderCount: 1 },
    ]);
    expect(short.status).toBe(409);
    expect(short.body).toMatchObject({
      code: "OUT_OF_STOCK",
      shortages: [{ productStockId: 800002, requested: 1, available: 0 }],
    });
    const after = await http.snapshot();
    expect({ ...after.body, takenAt: null }).toEqual({ ...middle.body, takenAt: null });
    expect((await skus(http)).get(800001)).toMatchObject({ available: a.available - 3, held: 3 });
    expect(b.available).toBeGreaterThan(0);
  });

  it("pays once (repeat 200, same state), refuses to cancel a paid order", async () => {
    const before = await sku(http, 311191);
    expect((await http.reserve(token, "flow-pay", [{ productStockId: 311191, orderCount: 2 }])).status).toBe(200);
    const paid = await http.pay(token, "flow-pay");
    expect(paid.status).toBe(200);
    expect(paid.body.status).toBe("PAID");
    const repeat = await http.pay(token, "flow-pay");
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(paid.body);
    const cancel = await http.cancel(token, "flow-pay");
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe("ORDER_PAID");
    expect(await sku(http, 311191)).toMatchObject({ available: before.available - 2, held: 0, paid: 2 });
  });

  it("cancels once (repeat 200, no second restore), refuses to pay a cancelled order", async () => {
    const before = await sku(http, 311191);
    expect((await http.reserve(token, "flow-cancel", [{ productStockId: 311191, orderCount: 2 }])).status).toBe(200);
    const cancelled = await http.cancel(token, "flow-cancel");
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("CANCELLED");
    const repeat = await http.cancel(token, "flow-cancel");
    expect(repeat.status).toBe(200);
    expect(repeat.body).toEqual(cancelled.body);
    const pay = await http.pay(token, "flow-cancel");
    expect(pay.status).toBe(409);
    expect(pay.body.code).toBe("ORDER_CANCELLED");
    expect(await sku(http, 311191)).toMatchObject({ available: before.available, held: 0, paid: 0 });
  });

  it("hides another user's order behind 404 and leaves it untouched", async () => {
    expect((await http.reserve(token, "mine-1", [{ productStockId: 311191, orderCount: 1 }])).status).toBe(200);
    const before = await http.snapshot();
    for (const answer of [await http.pay(otherToken, "mine-1"), await http.cancel(otherToken, "mine-1")]) {
      expect(answer.status).toBe(404);
      expect(answer.body.code).toBe("ORDER_NOT_FOUND");
    }
    const after = await http.snapshot();
    expect({ ...after.body, takenAt: null }).toEqual({ ...before.body, takenAt: null });
  });
});

describe("hold TTL over HTTP with an injected clock", () => {
  const ttl = 15 * 60_000;
  const clock = createFakeClock();
  let server: RunningReference;
  let http: Client;
  let token: string;
  beforeAll(async () => {
    server = await startReference({ clock: clock.now, rules: { holdTtlMs: ttl } });
    http = api(server.url);
    token = await http.login(buyer);
  });
  afterAll(async () => server?.close());

  it("expires an unpaid hold: pay answers 409 ORDER_EXPIRED, cancel 200 EXPIRED, stock back once", async () => {
    const before = await sku(http, 311191);
    const reserved = await http.reserveRaw(
      token,
      reserveQuery("ttl-1", customData([{ productStockId: 311191, orderCount: 4 }])),
    );
    expect(reserved.status).toBe(200);
    expect(reserved.body.expiresAt).toBe(new Date(clock.now() + ttl).toISOString());
    clock.advance(ttl);
    const pay = await http.pay(token, "ttl-1");
    expect(pay.status).toBe(409);
    expect(pay.body.code).toBe("ORDER_EXPIRED");
    expect(await sku(http, 311191)).toMatchObject({ available: before.available, held: 0, paid: 0 });
    const cancel = await http.cancel(token, "ttl-1");
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe("EXPIRED");
    expect(await sku(http, 311191)).toMatchObject({ available: before.available, held: 0, paid: 0 });
  });
});
