import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, customData, reserveQuery } from "../helpers/api.js";
import { adminKey, buyer, type RunningReference, startReference } from "../helpers/reference.js";

/*
 * A 500 must not claim a rollback that did not happen. Here the reply to a committed change cannot
 * be built: the clock stands a minute before the last instant a JavaScript Date can hold, so a hold
 * of one hour expires at an instant no date-time can express (what `--hold-ttl 100000000d` did with
 * the real clock before hold TTLs were bounded). The store commits; the reply fails afterwards.
 */

const lastDate = 8.64e15;
const hour = 3_600_000;

describe("a 500 raised after COMMIT says the change stands", () => {
  let server: RunningReference;
  let token: string;
  const unexpected: unknown[] = [];

  beforeAll(async () => {
    server = await startReference({
      clock: () => lastDate - 60_000,
      rules: { holdTtlMs: hour },
      onUnexpected: (error) => unexpected.push(error),
    });
    token = await api(server.url).login(buyer);
  });
  afterAll(async () => server.close());

  // Raw requests: a 500 is not in the spec, so the spec-checking client would refuse it.
  const bearer = () => ({ authorization: `Bearer ${token}` });
  const reserve = (id: string) =>
    api(server.url).send(
      "GET",
      `/orders/payment/choice?${reserveQuery(id, customData([{ productStockId: 311191, orderCount: 1 }]))}`,
      {
        headers: bearer(),
      },
    );
  const stored = (id: string) => server.reference.store.snapshot().orders.find((o) => o.paymentOrderId === id);

  it("reserve and pay: 500 naming the committed state, and the order is in the store in that state", async () => {
    // The other test adds its own unexpected errors, before or after this one.
    const before = unexpected.length;
    const reserved = await reserve("late-1");
    expect(reserved.status).toBe(500);
    expect(reserved.body.code).toBe("INTERNAL");
    expect(stored("late-1")?.status).toBe("RESERVED");
    expect(reserved.body.detail).not.toMatch(/was rolled back/);
    expect(reserved.body.detail).toContain("after the change was committed (order late-1 is RESERVED)");

    const paid = await api(server.url).send("GET", "/orders/payment/kcp/payResultTest/late-1", { headers: bearer() });
    expect(paid.status).toBe(500);
    expect(stored("late-1")?.status).toBe("PAID");
    expect(paid.body.detail).toContain("(order late-1 is PAID); it was not rolled back");
    expect(unexpected).toHaveLength(before + 2);
  });

  it("the test-control API's writes too: a stock change that committed is not reported as rolled back", async () => {
    expect((await reserve("late-2")).status).toBe(500);
    const set = await api(server.url).send("PUT", "/__admin/stock", {
      headers: { "x-admin-key": adminKey, "content-type": "application/json" },
      body: JSON.stringify({ items: [{ productStockId: 800001, quantity: 7 }] }),
    });
    expect(set.status).toBe(500);
    const level = server.reference.store.snapshot().stock.find((s) => s.productStockId === 800001);
    expect(level?.available).toBe(7);
    expect(set.body.detail).not.toMatch(/was rolled back/);
    expect(set.body.detail).toContain("after the change was committed (the stock change)");
  });
});
