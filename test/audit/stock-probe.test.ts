import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeStock } from "../../src/verify/history/stock-probe.js";
import { loadScenario } from "../../src/verify/scenario/load.js";
import type { Scenario } from "../../src/verify/scenario/types.js";
import { type RunningReference, startReference } from "../helpers/reference.js";

function crossedCarts(): Scenario {
  const loaded = loadScenario("crossed-carts");
  if (!loaded.ok) throw new Error("crossed-carts does not load");
  return loaded.value;
}

describe("stock probe through the public API", () => {
  let ref: RunningReference;
  beforeAll(async () => {
    ref = await startReference();
  });
  afterAll(() => ref.close());

  const available = () =>
    new Map(ref.reference.service.snapshot().skus.map(({ level }) => [level.productStockId, level.available]));

  it.each([
    [0, 0],
    [1, 1],
    [777, 2345],
  ])("measures %i and %i units exactly and leaves them as they were, whatever the hint", async (a, b) => {
    ref.reference.service.setStock([
      { productStockId: 800001, quantity: a },
      { productStockId: 800002, quantity: b },
    ]);
    for (const hint of [
      new Map([
        [800001, a],
        [800002, b],
      ]),
      new Map([
        [800001, 5],
        [800002, 0],
      ]),
    ]) {
      const probed = await probeStock(crossedCarts(), hint, { target: ref.url });
      if (!probed.ok) throw new Error(probed.error);
      expect(Object.fromEntries(probed.value.available)).toEqual({ 800001: a, 800002: b });
      expect(available().get(800001)).toBe(a);
      expect(available().get(800002)).toBe(b);
    }
  });

  it("costs a few requests when the expected value is right", async () => {
    ref.reference.service.setStock([
      { productStockId: 800001, quantity: 150 },
      { productStockId: 800002, quantity: 0 },
    ]);
    const probed = await probeStock(
      crossedCarts(),
      new Map([
        [800001, 150],
        [800002, 0],
      ]),
      { target: ref.url },
    );
    if (!probed.ok) throw new Error(probed.error);
    // SKU 800001: the refused chunk, 150 held and cancelled, 151 refused; SKU 800002: the chunk and 1 refused.
    expect(probed.value.requests).toBe(4 + 2);
  });

  it("names the SKU when reservations of it are refused for another reason", async () => {
    const scenario = crossedCarts();
    const unknown: Scenario = {
      ...scenario,
      skus: [{ ...(scenario.skus[0] as Scenario["skus"][number]), productStockId: 987654 }],
    };
    const probed = await probeStock(unknown, new Map(), { target: ref.url });
    expect(probed.ok).toBe(false);
    if (!probed.ok) expect(probed.error).toMatch(/SKU 987654/);
  });
});
