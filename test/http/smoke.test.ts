import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/api.js";
import { buyer, type RunningReference, startReference } from "../helpers/reference.js";

describe("reference server smoke", () => {
  let server: RunningReference;
  beforeAll(async () => {
    server = await startReference();
  });
  afterAll(async () => server.close());

  it("logs in, reserves, pays and refuses to cancel a paid order", async () => {
    const client = api(server.url);
    const token = await client.login(buyer);
    const reserved = await client.reserve(token, "smoke-1", [{ productStockId: 311191, orderCount: 2 }]);
    expect(reserved.status).toBe(200);
    expect(reserved.body.status).toBe("RESERVED");
    const paid = await client.pay(token, "smoke-1");
    expect(paid.body.status).toBe("PAID");
    const cancel = await client.cancel(token, "smoke-1");
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe("ORDER_PAID");
    const snapshot = await client.snapshot();
    expect(snapshot.body.invariantHolds).toBe(true);
  });
});
