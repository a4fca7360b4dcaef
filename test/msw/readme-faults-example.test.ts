// docs/frontend.md's "Error states on demand" vitest example, as written (imports point at the sources),
// with the set-up of the guide's vitest example; then what the MSW handlers' test control does beyond it.
import { readFileSync } from "node:fs";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMockBackend, demoCredentials } from "../../src/backend/msw/index.js";
import { createStockproofClient } from "../../src/verify/client/index.js";
import { docBlockAfter } from "../helpers/readme-blocks.js";

const backend = createMockBackend({ baseUrl: "http://localhost:8080" });
const server = setupServer(...backend.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  backend.reset();
});
afterAll(() => server.close());

it("shows the retry hint when the store is busy, then buys", async () => {
  backend.faults.set([{ operationId: "reserveStock", status: 503, times: 1 }]);
  const client = createStockproofClient({ baseUrl: "http://localhost:8080", ...demoCredentials });
  await client.login("buyer@example.com", "buyer-password");

  const busy = await client.reserve([{ productStockId: 311191, orderCount: 1 }]);
  expect(busy.error?.code).toBe("STORE_BUSY");
  expect(busy.response.headers.get("retry-after")).toBe("1");

  const reserved = await client.reserve([{ productStockId: 311191, orderCount: 1 }]);
  expect((await client.pay(reserved.data?.paymentOrderId ?? "")).data?.status).toBe("PAID");
  const reservations = backend.requests().filter((r) => r.operationId === "reserveStock");
  expect(reservations.map((r) => [r.status, r.lines])).toEqual([
    [503, [{ productStockId: 311191, count: 1 }]],
    [200, [{ productStockId: 311191, count: 1 }]],
  ]);
});

describe("the MSW handlers' test control", () => {
  const client = () => createStockproofClient({ baseUrl: "http://localhost:8080", ...demoCredentials });
  const line = [{ productStockId: 311191, orderCount: 1 }];
  const available = () => backend.snapshot().skus.find((s) => s.productStockId === 311191)?.available;

  it("runs the frontend guide's example as it is written there", () => {
    const block = docBlockAfter("docs/frontend.md", "In a vitest test with the MSW handlers");
    expect(readFileSync(new URL(import.meta.url), "utf8")).toContain(block);
  });

  it("honours Prefer sent by the client per call, changing nothing", async () => {
    const c = client();
    await c.login("buyer@example.com", "buyer-password");
    const before = available();
    const forced = await c.reserve(line, {}, { prefer: "code=409, example=DUPLICATE_PAYMENT_ORDER" });
    expect([forced.response.status, forced.error?.code]).toEqual([409, "DUPLICATE_PAYMENT_ORDER"]);
    expect(forced.response.headers.get("preference-applied")).toBe("code=409, example=DUPLICATE_PAYMENT_ORDER");
    expect(available()).toBe(before);
    expect(backend.snapshot().orders).toEqual([]);
  });

  it("cuts the connection: the app's fetch rejects and nothing is reserved", async () => {
    const c = client();
    await c.login("buyer@example.com", "buyer-password");
    backend.faults.set([{ operationId: "reserveStock", transport: "connectionReset", times: 1 }]);
    await expect(c.reserve(line)).rejects.toThrow(TypeError);
    expect(backend.snapshot().orders).toEqual([]);
    expect(backend.requests().at(-1)).toMatchObject({ operationId: "reserveStock", status: 0, forcedBy: "fault" });
    expect((await c.reserve(line)).data?.status).toBe("RESERVED");
  });

  it("refuses a bad rule list whole, naming the field, and keeps the rules in force", () => {
    const inForce = backend.faults.set([{ operationId: "payOrder", delayMs: 10 }]);
    expect(() =>
      backend.faults.set([
        { operationId: "reserveStock", status: 503 },
        { operationId: "reserveStock", delayMs: 600_000 },
      ]),
    ).toThrow(/rules\[1\]\.delayMs/);
    expect(backend.faults.list()).toEqual(inForce);
    expect(backend.snapshot().faults).toEqual(inForce);
    expect(backend.faults.clear()).toEqual([]);
  });

  it("reads the journal from an instant on, and empties it on reset", async () => {
    const c = client();
    await c.login("buyer@example.com", "buyer-password");
    const [login] = backend.requests();
    expect(login).toMatchObject({ operationId: "createToken", status: 200, code: null });
    await c.reserve(line);
    expect(backend.requests(new Date(Date.parse(String(login?.at)) + 60_000))).toEqual([]);
    expect(backend.requests(String(login?.at)).length).toBe(2);
    expect(() => backend.requests("yesterday")).toThrow(/since "yesterday" is not a date/);
    backend.reset();
    expect(backend.requests()).toEqual([]);
  });

  it("calls the fault and journal endpoints through the typed client", async () => {
    const c = client();
    const set = await c.setFaults([{ operationId: "payOrder", code: "ORDER_CANCELLED", times: 1 }]);
    expect(set.data?.rules).toEqual([
      {
        id: expect.any(Number),
        rule: { operationId: "payOrder", code: "ORDER_CANCELLED", times: 1 },
        applied: 0,
        remaining: 1,
      },
    ]);
    const refused = await c.setFaults([{ operationId: "payOrder", status: 201 }]);
    expect([refused.response.status, refused.error?.code]).toEqual([400, "INVALID_PARAMETER"]);
    expect(backend.faults.list()).toEqual(set.data?.rules);
    await c.login("buyer@example.com", "buyer-password");
    const reserved = await c.reserve(line);
    expect((await c.pay(reserved.data?.paymentOrderId ?? "")).error?.code).toBe("ORDER_CANCELLED");
    expect((await c.clearFaults()).data?.rules).toEqual([]);
    const journal = await c.requests();
    expect(journal.data?.requests.map((r) => [r.operationId, r.status, r.forcedBy])).toEqual([
      ["createToken", 200, null],
      ["reserveStock", 200, null],
      ["payOrder", 409, "fault"],
    ]);
    expect((await c.requests("not a date")).error?.code).toBe("INVALID_PARAMETER");
  });

  it("has no test control when the test-control API is off", async () => {
    const off = createMockBackend({ baseUrl: "http://localhost:9090", adminKey: null });
    expect(() => off.faults.set([])).toThrow(/adminKey: null/);
    const response = await off.fetch(
      new Request("http://localhost:9090/orders/payment/choice", { headers: { prefer: "code=503" } }),
    );
    // Not forced: the operation ran, and refused the request for its missing token.
    expect(response.status).toBe(401);
    expect(response.headers.get("preference-applied")).toBeNull();
  });
});
