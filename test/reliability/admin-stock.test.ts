import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parseCatalog } from "../../src/backend/catalog/catalog.js";
import { createMockBackend } from "../../src/backend/msw/mock-backend.js";
import { api, conforms } from "../helpers/api.js";
import { adminKey, buyer, type RunningReference, startReference } from "../helpers/reference.js";

/*
 * The test-control API's PUT /__admin/stock takes the same product fields as the catalog, with the
 * same bounds and the same rule: productInfoList lines name a SKU by productId + color + size, so
 * no two SKUs may share that triple. A refused request changes nothing.
 */

type Api = ReturnType<typeof api>;

/** PUT /__admin/stock with the body exactly as written (numbers beyond JSON's safe range stay as text). */
const putStock = async (client: Api, body: string) =>
  conforms(
    "setStock",
    await client.send("PUT", "/__admin/stock", {
      headers: { "x-admin-key": adminKey, "content-type": "application/json" },
      body,
    }),
  );

/** The seed's SKU 311191 is productId 219622, BLACK / L in the demo catalog. */
const seedVariant = { productId: 219622, color: "BLACK", size: "L" };

describe("PUT /__admin/stock: bounded fields and one SKU per productId + color + size", () => {
  let server: RunningReference;
  let client: Api;
  const unchanged = async (attempt: () => Promise<void>) => {
    const before = (await client.snapshot()).body;
    await attempt();
    expect((await client.snapshot()).body).toEqual({ ...before, takenAt: expect.any(String) });
  };

  beforeAll(async () => {
    server = await startReference();
    client = api(server.url);
  });
  afterAll(async () => server.close());
  // Each test starts from the seed catalog: one of them hands SKU 311191's variant to another SKU.
  beforeEach(async () => {
    expect((await client.reset()).status).toBe(200);
  });

  it("refuses a productId beyond the safe integers (2^63, 1e308) as the catalog does, changing nothing", async () => {
    for (const productId of ["9223372036854775808", "1e308", "9007199254740992", "0"]) {
      await unchanged(async () => {
        const refused = await putStock(
          client,
          `{"items":[{"productStockId":900001,"quantity":5,"productId":${productId},"color":"X","size":"Y"}]}`,
        );
        expect(refused.status, `productId ${productId}`).toBe(400);
        expect(refused.body.code).toBe("INVALID_PARAMETER");
        expect(refused.body.detail).toContain("body.items[0].productId");
      });
      // The catalog refuses the same value: one schema for both.
      const catalog = `{"products":[{"productStockId":1,"productId":${productId},"productName":"n","color":"","size":"","stock":1}]}`;
      expect(() => parseCatalog(catalog, "catalog.json"), `catalog productId ${productId}`).toThrow(
        /products\[0\]\.productId/,
      );
    }
    // The largest safe integer is a productId like any other.
    const fine = await putStock(
      client,
      `{"items":[{"productStockId":900009,"quantity":1,"productId":9007199254740991,"color":"X","size":"Y"}]}`,
    );
    expect(fine.status).toBe(200);
  });

  it("refuses a new SKU whose productId, color and size name an existing SKU: 409 SKU_CONFLICT naming both", async () => {
    await unchanged(async () => {
      const refused = await client.send("PUT", "/__admin/stock", {
        headers: { "x-admin-key": adminKey, "content-type": "application/json" },
        body: JSON.stringify({ items: [{ productStockId: 900002, quantity: 5, ...seedVariant }] }),
      });
      conforms("setStock", refused);
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe("SKU_CONFLICT");
      expect(refused.body.conflictingSkus).toEqual([311191, 900002]);
      expect(refused.body.detail).toContain("311191");
      expect(refused.body.detail).toContain("900002");
      expect(refused.body.detail).toContain("productId 219622 BLACK/L");
    });
    // A productInfoList reservation of that variant still takes from SKU 311191 alone.
    const token = await client.login(buyer);
    const data = JSON.stringify({ productStockList: null, productInfoList: [{ ...seedVariant, count: 1 }] });
    const query = new URLSearchParams({
      storeId: "s",
      merchantId: "m",
      amount: "1",
      timestamp: "20210621",
      paymentOrderId: "admin-variant-1",
      customData: data,
    });
    const reserved = await client.reserveRaw(token, query.toString());
    expect(reserved.body.lines).toMatchObject([{ productStockId: 311191, count: 1 }]);
  });

  it("refuses moving an existing SKU onto another's variant, and two SKUs of one request sharing one", async () => {
    const set = (items: unknown[]) =>
      client.send("PUT", "/__admin/stock", {
        headers: { "x-admin-key": adminKey, "content-type": "application/json" },
        body: JSON.stringify({ items }),
      });
    await unchanged(async () => {
      const moved = conforms("setStock", await set([{ productStockId: 800001, quantity: 800, ...seedVariant }]));
      expect(moved.status).toBe(409);
      expect(moved.body).toMatchObject({ code: "SKU_CONFLICT", conflictingSkus: [311191, 800001] });
    });
    await unchanged(async () => {
      const twins = conforms(
        "setStock",
        await set([
          { productStockId: 900003, quantity: 1, productId: 77, color: "RED", size: "S" },
          { productStockId: 900004, quantity: 1, productId: 77, color: "RED", size: "S" },
        ]),
      );
      expect(twins.status).toBe(409);
      expect(twins.body).toMatchObject({ code: "SKU_CONFLICT", conflictingSkus: [900003, 900004] });
    });
    // Judged on the result: a request may hand a variant from one of its SKUs to another.
    const swapped = conforms(
      "setStock",
      await set([
        { productStockId: 311191, quantity: 50, productId: 219622, color: "BLACK", size: "XL" },
        { productStockId: 900005, quantity: 1, ...seedVariant },
      ]),
    );
    expect(swapped.status).toBe(200);
    // Setting a SKU's stock with its own variant is no conflict.
    expect((await set([{ productStockId: 900005, quantity: 2, ...seedVariant }])).status).toBe(200);
  });

  it("refuses the same collision in the MSW mock's setStock, naming both SKUs", () => {
    const backend = createMockBackend();
    const before = backend.snapshot();
    expect(() => backend.setStock([{ productStockId: 900002, quantity: 5, ...seedVariant }])).toThrow(
      /SKU 900002.*SKU 311191|SKU 311191.*SKU 900002/,
    );
    expect(backend.snapshot()).toEqual({ ...before, takenAt: expect.any(String) });
  });
});
