import { describe, expect, it } from "vitest";
import { createMockBackend, demoCredentials } from "../../src/backend/msw/index.js";
import { createStockproofClient } from "../../src/verify/client/index.js";

const base = "http://127.0.0.1:3/shop/api";

describe("createMockBackend options", () => {
  const catalog = {
    products: [{ productStockId: 42, productId: 7, productName: "Mug", color: "RED", size: "M", stock: 3 }],
  };
  const users = [{ username: "ana@shop.test", password: "ana-password", userName: "900001" }];

  it("serves its own catalog and users under a base path, and can turn the test-control API off", async () => {
    const backend = createMockBackend({ baseUrl: base, catalog, users, adminKey: null });
    const client = createStockproofClient({ baseUrl: base, ...demoCredentials, fetch: backend.fetch });

    expect((await client.login("buyer@example.com", "buyer-password")).response.status).toBe(400);
    expect((await client.login("ana@shop.test", "ana-password")).response.status).toBe(200);
    const reserved = await client.reserve([{ productStockId: 42, orderCount: 3 }]);
    expect(reserved.data).toMatchObject({ status: "RESERVED", userName: "900001" });
    const refused = await client.reserve([{ productStockId: 311191, orderCount: 1 }]);
    expect(refused.error?.code).toBe("UNKNOWN_SKU");

    expect(backend.snapshot().skus).toEqual([expect.objectContaining({ productStockId: 42, available: 0, held: 3 })]);
    expect((await client.snapshot()).response.status).toBe(404);
  });

  it("refuses a catalog that breaks the spec's Catalog schema, naming the field", () => {
    const broken = { products: [{ ...catalog.products[0], stock: -1 }] } as unknown as typeof catalog;
    expect(() => createMockBackend({ catalog: broken })).toThrow(/options\.catalog is not a valid catalog:.*stock/s);
  });
});
