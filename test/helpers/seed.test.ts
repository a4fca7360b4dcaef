import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { runSeed, seedLine } from "./seed.js";

const before = process.env.STOCKPROOF_SEED;
afterEach(() => {
  if (before === undefined) delete process.env.STOCKPROOF_SEED;
  else process.env.STOCKPROOF_SEED = before;
});

describe("STOCKPROOF_SEED", () => {
  it("replays the printed seed: the same seed draws the same cases", () => {
    process.env.STOCKPROOF_SEED = "987654321";
    const seed = runSeed();
    expect(seedLine("input-fuzz", seed)).toBe("input-fuzz seed 987654321 (replay with STOCKPROOF_SEED=987654321)");
    const draw = () => fc.sample(fc.array(fc.integer(), { maxLength: 5 }), { seed: runSeed(), numRuns: 10 });
    expect(draw()).toEqual(draw());
  });

  it("refuses a value that is not a seed, naming the variable", () => {
    process.env.STOCKPROOF_SEED = "12ab";
    expect(() => runSeed()).toThrow(/STOCKPROOF_SEED must be a whole number/);
  });

  it("is fresh when unset", () => {
    delete process.env.STOCKPROOF_SEED;
    expect(Number.isInteger(runSeed())).toBe(true);
  });
});
