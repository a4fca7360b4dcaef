// The frontend guide's per-test overrides: handlers added with server.use(...) take precedence over
// stockproof's, resetHandlers() removes them, and a resolver that returns nothing falls through to
// stockproof (to delay or record a call without replacing the answer).
import { delay, HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createMockBackend, demoCredentials } from "../../src/backend/msw/index.js";
import { createStockproofClient } from "../../src/verify/client/index.js";

const api = "http://localhost:8080";
const backend = createMockBackend({ baseUrl: api });
const server = setupServer(...backend.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers(); // drops the test's own handlers, keeps stockproof's
  backend.reset(); // stock and orders back to the catalog
});
afterAll(() => server.close());

const line = [{ productStockId: 311191, orderCount: 1 }];

it("one test answers one call its own way", async () => {
  server.use(
    http.get(`${api}/orders/payment/choice`, () =>
      HttpResponse.json(
        { type: "about:blank", title: "Busy", status: 503, code: "STORE_BUSY", detail: "Try again." },
        { status: 503, headers: { "content-type": "application/problem+json" } },
      ),
    ),
  );
  const client = createStockproofClient({ baseUrl: api, ...demoCredentials });
  expect((await client.login("buyer@example.com", "buyer-password")).response.status).toBe(200);
  const busy = await client.reserve(line);
  expect(busy.error?.code).toBe("STORE_BUSY");
  expect(backend.snapshot().orders).toEqual([]);
});

it("the next test has stockproof's answers again", async () => {
  const client = createStockproofClient({ baseUrl: api, ...demoCredentials });
  await client.login("buyer@example.com", "buyer-password");
  expect((await client.reserve(line)).data?.status).toBe("RESERVED");
});

it("a handler that returns nothing falls through to stockproof (delay, count, inspect)", async () => {
  const seen: string[] = [];
  server.use(
    http.get(`${api}/orders/payment/choice`, async ({ request }) => {
      seen.push(new URL(request.url).searchParams.get("paymentOrderId") ?? "");
      await delay(1);
    }),
  );
  const client = createStockproofClient({ baseUrl: api, ...demoCredentials });
  await client.login("buyer@example.com", "buyer-password");
  const reserved = await client.reserve(line, { paymentOrderId: "P_override_1" });
  expect(reserved.data?.status).toBe("RESERVED");
  expect(seen).toEqual(["P_override_1"]);
  expect(backend.snapshot().orders.map((o) => o.paymentOrderId)).toEqual(["P_override_1"]);
});
