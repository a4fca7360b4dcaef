// The client's opt-in autoRefresh: an order call answered 401 INVALID_TOKEN because the access token
// expired is repeated once after one refresh, on the mock's fake clock (no waiting).
import { describe, expect, it } from "vitest";
import { createMockBackend, demoCredentials } from "../../src/backend/msw/index.js";
import { createStockproofClient } from "../../src/verify/client/index.js";
import { createFakeClock } from "../helpers/fake-clock.js";

const base = "http://localhost:8080";
const line = [{ productStockId: 311191, orderCount: 1 }];

function setUp(autoRefresh: boolean) {
  const clock = createFakeClock();
  const backend = createMockBackend({ baseUrl: base, clock: clock.now, accessTtlSeconds: 60, refreshTtlSeconds: 600 });
  const grants: string[] = [];
  const fetch = async (request: Request) => {
    if (request.url.endsWith("/oauth/token")) {
      grants.push(new URLSearchParams(await request.clone().text()).get("grant_type") ?? "");
    }
    return backend.fetch(request);
  };
  const client = createStockproofClient({ baseUrl: base, ...demoCredentials, autoRefresh, fetch });
  return { clock, backend, grants, client };
}

describe("autoRefresh", () => {
  it("off (the default): an expired access token answers 401 INVALID_TOKEN to the app", async () => {
    const { clock, client, grants } = setUp(false);
    await client.login("buyer@example.com", "buyer-password");
    clock.advance(61_000);
    const expired = await client.reserve(line);
    expect(expired.response.status).toBe(401);
    expect(expired.error?.code).toBe("INVALID_TOKEN");
    expect(grants).toEqual(["password"]);
  });

  it("on: refreshes once and repeats the call once, with the same paymentOrderId", async () => {
    const { clock, client, backend, grants } = setUp(true);
    await client.login("buyer@example.com", "buyer-password");
    const first = client.accessToken;
    clock.advance(61_000);
    const reserved = await client.reserve(line, { paymentOrderId: "P_refresh_1" });
    expect(reserved.data?.status).toBe("RESERVED");
    expect(grants).toEqual(["password", "refresh_token"]);
    expect(client.accessToken).not.toBe(first);
    expect(backend.snapshot().orders.map((o) => o.paymentOrderId)).toEqual(["P_refresh_1"]);
    expect((await client.pay("P_refresh_1")).data?.status).toBe("PAID");
  });

  it("on: calls that find the token expired at once share one refresh (a refresh token is single-use)", async () => {
    const { clock, client, backend, grants } = setUp(true);
    await client.login("buyer@example.com", "buyer-password");
    clock.advance(61_000);
    const results = await Promise.all([client.reserve(line), client.reserve(line), client.reserve(line)]);
    expect(results.map((r) => r.data?.status)).toEqual(["RESERVED", "RESERVED", "RESERVED"]);
    expect(grants).toEqual(["password", "refresh_token"]);
    expect(backend.snapshot().orders).toHaveLength(3);
  });

  it("on: when the refresh token has expired too, the app gets the first 401 and no further call is made", async () => {
    const { clock, client, backend, grants } = setUp(true);
    await client.login("buyer@example.com", "buyer-password");
    clock.advance(601_000);
    const expired = await client.reserve(line);
    expect(expired.error?.code).toBe("INVALID_TOKEN");
    expect(grants).toEqual(["password", "refresh_token"]);
    expect(backend.snapshot().orders).toEqual([]);
  });

  it("on: a refusal that is not an expired token (another user's order: 404) is not repeated", async () => {
    const { client, grants } = setUp(true);
    await client.login("buyer@example.com", "buyer-password");
    expect((await client.pay("P_unknown")).error?.code).toBe("ORDER_NOT_FOUND");
    expect(grants).toEqual(["password"]);
  });
});
