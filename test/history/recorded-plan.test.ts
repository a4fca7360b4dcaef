import { describe, expect, it } from "vitest";
import { scaleScenario } from "../../src/verify/audit/sizes.js";
import type { History } from "../../src/verify/history/format.js";
import { reconcileRecordedPlan } from "../../src/verify/history/recorded-plan.js";
import { loadScenario } from "../../src/verify/scenario/load.js";
import type { Scenario } from "../../src/verify/scenario/types.js";

const loaded = loadScenario("contention");
if (!loaded.ok) throw new Error("contention does not load");
const contention = loaded.value;

/** A history header recorded from `scenario`'s plan, with no records (only the plan matters here). */
const recordedFrom = (scenario: Scenario, file: string): History => ({
  file,
  header: {
    t: "history",
    format: "stockproof-history",
    version: 1,
    scenario: scenario.name,
    target: "http://127.0.0.1:1",
    runId: file,
    shard: { index: 0, count: 1 },
    startedAt: "2026-01-01T00:00:00.000Z",
    epochWallMs: 0,
    clock: null,
    startAt: null,
    speed: 1,
    plan: {
      rounds: scenario.phases.map((p) => p.traffic.rounds),
      holdTtl: scenario.holdTtl === null ? null : { ttlMs: scenario.holdTtl.ttlMs, graceMs: scenario.holdTtl.graceMs },
    },
    source: "stockproof",
  },
  observations: [],
  phases: [],
  end: null,
});

describe("a history judged against the plan its run recorded", () => {
  it("refuses a plan of another --scale, naming the scale that would match", () => {
    const audited = recordedFrom(scaleScenario(contention, 0.2), "audit.jsonl");
    expect(() => reconcileRecordedPlan(contention, [audited], false)).toThrow(/--scale 0\.2 relative to this one/);
    expect(reconcileRecordedPlan(scaleScenario(contention, 0.2), [audited], false).phases[0]?.traffic.rounds).toBe(
      audited.header.plan?.rounds[0],
    );
  });

  it("takes the run's hold TTL when check was told none, and refuses another", () => {
    const withTtl = { ...contention, holdTtl: { ttlMs: 2_000, graceMs: 2_000, toleranceMs: 50 } };
    const history = recordedFrom(withTtl, "ttl.jsonl");
    expect(reconcileRecordedPlan(contention, [history], false).holdTtl?.ttlMs).toBe(2_000);
    const other = { ...contention, holdTtl: { ttlMs: 10_000, graceMs: 2_000, toleranceMs: 50 } };
    expect(() => reconcileRecordedPlan(other, [history], true)).toThrow(/The run was told --hold-ttl 2s/);
    expect(() => reconcileRecordedPlan(withTtl, [history], true)).not.toThrow();
  });

  it("takes engines' results and older files, which record no plan, as they are", () => {
    const { plan: _, ...header } = recordedFrom(contention, "old.jsonl").header;
    const old = { ...recordedFrom(contention, "old.jsonl"), header };
    expect(reconcileRecordedPlan(contention, [old], false)).toBe(contention);
  });
});
