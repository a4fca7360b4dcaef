// The frontend guide's app set-up beyond this API: stockproof's handlers beside the app's own endpoints (only the
// spec's paths are taken, in any order), and a per-story loader that resets the stock and logs in
// through the test-control API, so stories do not see each other's reservations.
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHandlers, demoCredentials } from "../../src/backend/msw/index.js";
import { createStockproofClient } from "../../src/verify/client/index.js";

const api = "http://localhost:5173/api";
const handlers = [
  ...createHandlers({ baseUrl: api }),
  http.get(`${api}/products`, () => HttpResponse.json([{ productStockId: 311191, name: "T-shirt", price: 1500 }])),
  http.get(`${api}/profile`, () => HttpResponse.json({ name: "Demo Buyer" })),
];
const server = setupServer(...handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

const client = createStockproofClient({ baseUrl: api, ...demoCredentials });

/** The frontend guide's src/mocks/story-setup.ts, over this client. */
async function stockproofStory(): Promise<Record<string, never>> {
  const reset = await client.reset();
  if (reset.error) throw new Error(`stockproof reset failed: ${reset.error.code}`);
  const login = await client.login("buyer@example.com", "buyer-password");
  if (login.error) throw new Error(`stockproof login failed with HTTP ${login.response.status}`);
  return {};
}

const available = async () =>
  (await client.snapshot()).data?.skus.find((s) => s.productStockId === 311191)?.available ?? Number.NaN;

describe("stockproof's handlers beside the app's own", () => {
  it("the app's endpoints and stockproof's are each answered by their own handler", async () => {
    expect(await (await fetch(`${api}/profile`)).json()).toEqual({ name: "Demo Buyer" });
    expect(await (await fetch(`${api}/products`)).json()).toEqual([
      { productStockId: 311191, name: "T-shirt", price: 1500 },
    ]);
    await client.login("buyer@example.com", "buyer-password");
    expect((await client.reserve([{ productStockId: 311191, orderCount: 1 }])).data?.status).toBe("RESERVED");
  });

  it("a per-story loader: each story starts from the catalog's stock, logged in", async () => {
    await stockproofStory();
    const full = await available();
    expect((await client.reserve([{ productStockId: 311191, orderCount: 3 }])).data?.status).toBe("RESERVED");
    expect(await available()).toBe(full - 3);

    client.useAccessToken(undefined); // the story logged out
    await stockproofStory();
    expect(await available()).toBe(full);
    expect((await client.snapshot()).data?.orders).toEqual([]);
    expect((await client.reserve([{ productStockId: 311191, orderCount: 1 }])).data?.status).toBe("RESERVED");
  });
});
