import { describe, expect, it } from "vitest";
import { parseDurationFlag } from "../../src/base/config/duration.js";

describe("duration flags", () => {
  it("take a bare 0, as the hints suggest (--clock-skew 0 for processes on one machine)", () => {
    const range = { minMs: 0, maxMs: 3_600_000 };
    expect(parseDurationFlag("--clock-skew", "0", range)).toBe(0);
    expect(parseDurationFlag("--clock-skew", "0ms", range)).toBe(0);
    expect(parseDurationFlag("--clock-skew", "20ms", range)).toBe(20);
    // Any other number still needs its unit: 20 could be ms or s.
    expect(() => parseDurationFlag("--clock-skew", "20", range)).toThrow(/e\.g\. 500ms, 30s/);
  });

  it("refuse a bare 0 where 0 is out of range, saying the range", () => {
    expect(() => parseDurationFlag("--hold-ttl", "0", { minMs: 100, maxMs: 1_000 })).toThrow(
      '--hold-ttl must be a duration from 100ms to 1s (got "0")',
    );
  });
});
