import { describe, expect, it } from "vitest";
import { violationsShown } from "../../src/verify/report/run/violations-shown.js";

const flood = (check: string, n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ check, id: `${check}-${from + i}` }));

describe("the violations the terminal shows", () => {
  it("a flood of one check leaves room for every other check's first, in the run's order", () => {
    // Before: the first 20, all paid-and-cancelled; the one double restore was behind "… and 6 more".
    const all = [...flood("paid-and-cancelled", 25), ...flood("double-restore", 1), ...flood("conservation", 2)];
    const shown = violationsShown(all, 20);
    expect(shown).toHaveLength(20);
    expect(shown.map((v) => v.id)).toEqual([
      ...flood("paid-and-cancelled", 18).map((v) => v.id),
      "double-restore-0",
      "conservation-0",
    ]);
  });

  it("20 or fewer: all of them, unchanged", () => {
    const all = [...flood("oversell", 3), ...flood("orders", 17)];
    expect(violationsShown(all, 20)).toEqual(all);
    expect(violationsShown([], 20)).toEqual([]);
  });
});
