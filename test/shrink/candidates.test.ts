import { describe, expect, it } from "vitest";
import { shrinkPasses, smallerValues, tidy, withoutCases } from "../../src/verify/shrink/candidates.js";
import { casesOfDocument, loadDocument, readDocument } from "../../src/verify/shrink/document.js";
import { mergeSteps } from "../../src/verify/shrink/repro-file.js";
import { isSmaller, sizeOf } from "../../src/verify/shrink/size.js";

const races = () => {
  const loaded = readDocument("races");
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.value;
};

describe("shrink candidates", () => {
  it("integer values are tried smallest first, then halving the gap to the value (a binary search with memory)", () => {
    expect(smallerValues(100, 1)).toEqual([1, 2, 50, 75, 87, 93, 96, 98, 99]);
    expect(smallerValues(3, 0)).toEqual([0, 1, 2]);
    expect(smallerValues(1, 1)).toEqual([]);
  });

  it("removing a reservation removes the pays and cancels of its order, and a together left with one case", () => {
    const { document } = races();
    const without = withoutCases(document, ["reserve-to-race"]);
    const names = casesOfDocument(without).map((c) => c.name);
    expect(names).not.toContain("pay-racing-cancel");
    expect(names).not.toContain("cancel-racing-pay");
    expect(names).toContain("cancel-twice-1");
    // One of two same-id reservations removed: the other stays, as a plain step.
    const one = withoutCases(document, ["reserve-same-id-1"]);
    expect(one.when[0]).toMatchObject({ name: "reserve-same-id-2", order: "same-id" });
    // The document it came from is untouched.
    expect(casesOfDocument(document)).toHaveLength(8);
  });

  it("every candidate loads as a scenario and is smaller; tidy drops SKUs no line reserves", () => {
    const { document, scenario } = races();
    const size = sizeOf(scenario);
    let smaller = 0;
    let all = 0;
    for (const pass of shrinkPasses) {
      for (const candidate of pass.candidates(document)) {
        all++;
        const loaded = loadDocument(candidate.document, "races");
        if (loaded !== null && isSmaller(sizeOf(loaded), size)) smaller++;
      }
    }
    expect(all).toBeGreaterThan(10);
    expect(smaller).toBe(all);
    const crossed = readDocument("crossed-carts");
    if (!crossed.ok) throw new Error(crossed.error);
    const onlyA = structuredClone(crossed.value.document);
    for (const c of casesOfDocument(onlyA)) if (c.reserve) c.reserve = c.reserve.filter((l) => l.sku === 800001);
    expect(tidy(onlyA).given.skus.map((s) => s.productStockId)).toEqual([800001]);
  });

  it("waits are removed or halved; waits in ttl units only removed", () => {
    const { document } = races();
    const withWait = structuredClone(document);
    withWait.when.splice(2, 0, { wait: "2s" }, { wait: { from: "0.25ttl", to: "1ttl" } });
    const changes = shrinkPasses
      .filter((p) => p.name === "waits")
      .flatMap((p) => [...p.candidates(withWait)])
      .map((c) => c.change);
    expect(changes).toEqual([
      'without wait "2s"',
      'wait "2s" → "1000ms"',
      'without wait {"from":"0.25ttl","to":"1ttl"}',
    ]);
  });

  it("a value shrunk in a row reads as one step", () => {
    expect(mergeSteps(["rounds 100 → 75", "rounds 75 → 51", "without step pay", "SKU 1 stock 50 → 1"])).toEqual([
      "rounds 100 → 51",
      "without step pay",
      "SKU 1 stock 50 → 1",
    ]);
  });
});
