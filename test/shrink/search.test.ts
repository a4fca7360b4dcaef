import { describe, expect, it } from "vitest";
import type { ClassVerdict } from "../../src/verify/audit/classes.js";
import type { ScenarioAudit } from "../../src/verify/audit/scenario-audit.js";
import type { Scenario } from "../../src/verify/scenario/types.js";
import { readDocument } from "../../src/verify/shrink/document.js";
import type { RunOnce } from "../../src/verify/shrink/judge.js";
import { shrink } from "../../src/verify/shrink/search.js";

/**
 * The search's choices, on a target whose answers are scripted per scenario (the runner and the
 * audit are covered against real servers in the other files of this folder): what it keeps, what
 * it confirms, and when it steps back.
 */
const seed = () => {
  const loaded = readDocument("seed-3-1");
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.value;
};

/** One run's record as the audit gives it, with the oversell class failing or passing. */
const record = (scenario: Scenario, failed: boolean): ReturnType<RunOnce> =>
  Promise.resolve({
    audit: { scenario, phases: [], error: null, durationMs: 1, requests: 1 } as unknown as ScenarioAudit,
    classes: [
      { id: "oversell", title: "Oversell", verdict: failed ? "fail" : "pass", evidence: [], requests: [] },
    ] as unknown as ClassVerdict[],
  });

const size = (s: Scenario) => ({ rounds: s.phases[0]?.traffic.rounds ?? 0, stock: s.skus[0]?.stock ?? 0 });

describe("the shrink search", () => {
  it("keeps what fails 3 of 5, steps back when the smallest fails in under half of its confirmation runs", async () => {
    const runs = new Map<string, number>();
    // Oversold whenever there is stock and more rounds than stock; but the 2-request scenario
    // (2 rounds of one reserve, no pay) fails only in its first 3 runs.
    const run: RunOnce = (scenario) => {
      const { rounds, stock } = size(scenario);
      const flaky = rounds === 2 && stock === 1 && scenario.round.length === 1;
      const n = flaky ? (runs.get("flaky") ?? 0) + 1 : 0;
      if (flaky) runs.set("flaky", n);
      return record(scenario, stock >= 1 && rounds > stock && (!flaky || n <= 3));
    };
    const { document } = seed();
    const outcome = await shrink({ document, source: "seed-3-1", klass: "oversell", run, budgetMs: 60_000 });
    if (outcome.kind !== "shrunk") throw new Error(outcome.kind);
    // The 2-request scenario was kept (3 of 3) and is the smallest, but failed in none of its 10
    // confirmation runs: the one kept before it (2 rounds of reserve → pay) is written.
    expect(outcome.path.at(-1)?.size.requests).toBe(2);
    expect(runs.get("flaky")).toBe(13);
    expect(outcome.result.size.requests).toBe(4);
    expect(size(outcome.result.scenario)).toEqual({ rounds: 2, stock: 1 });
    expect(outcome.confirmation).toMatchObject({ runs: 10, failed: 10 });
    expect(outcome.rare).toBe(false);
  });

  it("a failure that never comes back is not shrunk: one run, then the reruns, nothing else", async () => {
    let calls = 0;
    const run: RunOnce = (scenario) => record(scenario, ++calls === 1);
    const { document } = seed();
    const outcome = await shrink({ document, source: "seed-3-1", klass: null, run });
    expect(outcome).toMatchObject({ kind: "not-reproduced", klass: "oversell", reruns: 20, rerunsFailed: 0 });
    expect(calls).toBe(21);
  });
});
