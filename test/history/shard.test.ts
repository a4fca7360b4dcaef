import { describe, expect, it } from "vitest";
import { parseShard, parseStartAt, shardPhase } from "../../src/history/shard.js";
import { loadScenario } from "../../src/scenario/load.js";
import { planRun } from "../../src/scenario/plan.js";

describe("--shard and --start-at", () => {
  it("parses i/N from 0 and refuses what names no shard", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["3/3", "1/0", "a/2", "1", "-1/2"]) expect(() => parseShard(bad)).toThrow(/--shard must be i\/N/);
  });

  it("takes an instant only with its time zone", () => {
    expect(parseStartAt("2026-05-01T10:00:00Z")).toBe(Date.UTC(2026, 4, 1, 10));
    expect(parseStartAt("2026-05-01T12:00:00+02:00")).toBe(Date.UTC(2026, 4, 1, 10));
    expect(() => parseStartAt("2026-05-01T10:00:00")).toThrow(/time zone/);
  });

  it("gives every round to exactly one of N shards", () => {
    const loaded = loadScenario("races");
    if (!loaded.ok) throw new Error("races did not load");
    const phase = planRun(loaded.value, "t").phases[0];
    if (phase === undefined) throw new Error("no phase");
    const shares = [0, 1, 2].map((index) => shardPhase(phase, { index, count: 3 }).rounds.map((r) => r.round));
    expect(shares.flat().sort((a, b) => a - b)).toEqual(phase.rounds.map((r) => r.round));
    expect(new Set(shares.flat()).size).toBe(phase.rounds.length);
  });
});
