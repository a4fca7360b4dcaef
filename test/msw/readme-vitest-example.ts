// The frontend guide's "In a vitest test" example, as written (imports point at the sources instead of the
// package). Each test file calls it under one vitest environment: node, jsdom, happy-dom.
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createMockBackend, demoCatalog, demoCredentials } from "../../src/backend/msw/index.js";
import { createStockproofClient } from "../../src/verify/client/index.js";

export function readmeVitestExample(): void {
  const backend = createMockBackend({ baseUrl: "http://localhost:8080" });
  const server = setupServer(...backend.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => backend.reset());
  afterAll(() => server.close());

  it("sells the last unit once, and cancelling gives it back", async () => {
    backend.setStock([{ productStockId: 311191, quantity: 1 }]);
    const client = createStockproofClient({ baseUrl: "http://localhost:8080", ...demoCredentials });
    const login = await client.login("buyer@example.com", "buyer-password");
    expect(login.response.status, JSON.stringify(login.error)).toBe(200);

    const first = await client.reserve([{ productStockId: 311191, orderCount: 1 }]);
    expect(first.data?.status).toBe("RESERVED");
    const second = await client.reserve([{ productStockId: 311191, orderCount: 1 }]);
    expect(second.error?.code).toBe("OUT_OF_STOCK");

    await client.cancel(first.data?.paymentOrderId ?? "");
    const level = backend.snapshot().skus.find((s) => s.productStockId === 311191);
    expect(level?.available).toBe(1);
  });

  it("starts every test from the catalog again", () => {
    const level = backend.snapshot().skus.find((s) => s.productStockId === 311191);
    const stock = demoCatalog.products.find((p) => p.productStockId === 311191)?.stock;
    expect(level).toMatchObject({ initial: stock, available: stock, held: 0, paid: 0 });
    expect(backend.snapshot().orders).toEqual([]);
  });
}
