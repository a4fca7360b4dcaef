// backend.setStock() is PUT /__admin/stock as a function: it refuses what the API answers 400 for,
// by the same schema, naming the item, and changes nothing.
import { describe, expect, it } from "vitest";
import { createMockBackend, demoCredentials } from "../../src/backend/msw/index.js";
import { createFakeClock } from "../helpers/fake-clock.js";

const base = "http://localhost:8080";
/** A still clock, so that two snapshots of the same state are equal, `takenAt` included. */
const newBackend = () => createMockBackend({ baseUrl: base, clock: createFakeClock().now });

/** The same items over HTTP (JSON turns NaN into null, which the schema refuses as well). */
const putStock = (backend: ReturnType<typeof newBackend>, items: unknown) =>
  backend.fetch(
    new Request(`${base}/__admin/stock`, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-admin-key": demoCredentials.adminKey },
      body: JSON.stringify({ items }),
    }),
  );

describe("backend.setStock", () => {
  const refused: [string, unknown, RegExp][] = [
    ["a negative quantity", -3, /items\[1\]\.quantity must be >= 0 \(got -3\) \(items\[1\], productStockId 311191\)/],
    ["a fraction", 1.5, /items\[1\]\.quantity must be integer \(got 1\.5\)/],
    ["NaN", Number.NaN, /items\[1\]\.quantity must be integer/],
    ["1e20", 1e20, /items\[1\]\.quantity must be <= 1000000000/],
    ["a string", "5", /items\[1\]\.quantity must be integer/],
  ];

  for (const [what, quantity, message] of refused) {
    it(`refuses ${what} as PUT /__admin/stock does, naming the item, and changes nothing`, async () => {
      const backend = newBackend();
      const before = backend.snapshot();
      const items = [
        { productStockId: 800001, quantity: 7 },
        { productStockId: 311191, quantity },
      ] as { productStockId: number; quantity: number }[];
      expect(() => backend.setStock(items)).toThrow(message);
      expect(backend.snapshot()).toEqual(before);

      const answer = await putStock(backend, items);
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { code: string }).code).toBe("INVALID_PARAMETER");
      expect(backend.snapshot()).toEqual(before);
    });
  }

  it("refuses an unknown field and a missing productStockId, and no items at all", () => {
    const backend = newBackend();
    const before = backend.snapshot();
    const extra = [{ productStockId: 311191, quantity: 1, stock: 3 }] as unknown as {
      productStockId: number;
      quantity: number;
    }[];
    expect(() => backend.setStock(extra)).toThrow(/stock/);
    const missing = [{ quantity: 1 }] as unknown as { productStockId: number; quantity: number }[];
    expect(() => backend.setStock(missing)).toThrow(/items\[0\]\.productStockId is required/);
    expect(() => backend.setStock([])).toThrow(/items/);
    expect(backend.snapshot()).toEqual(before);
  });

  it("still sets a valid stock and keeps the invariant", () => {
    const backend = newBackend();
    const after = backend.setStock([{ productStockId: 311191, quantity: 0 }]);
    expect(after.skus.find((s) => s.productStockId === 311191)).toMatchObject({ available: 0 });
    expect(after.invariantHolds).toBe(true);
  });
});
