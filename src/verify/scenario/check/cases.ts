/**
 * @module
 * Each case's answers by class and outcome, compared with the model's counts or the scenario's own.
 */

import type { ModelRun } from "../model.js";
import type { Observation, PhaseRun } from "../runner.js";
import { countOutcomes, type Latency, latencyOf } from "../stats.js";
import { casesOf, type Scenario } from "../types.js";

export interface CaseSummary {
  readonly name: string;
  readonly kind: string;
  /** Fired together with other cases: its own counts depend on who wins. */
  readonly raced: boolean;
  readonly model: Readonly<Record<string, number>>;
  readonly observed: Readonly<Record<string, number>>;
  readonly classes: {
    readonly ok: number;
    readonly rejected: number;
    readonly other4xx: number;
    readonly serverErrors: number;
    readonly timeouts: number;
    readonly network: number;
    readonly notSent: number;
  };
  readonly latency: Latency;
  readonly matchesModel: boolean;
}

/** Per-case counts that disagree with the model (or the scenario's explicit counts). */
export interface CountFindings {
  /** One line per disagreement, e.g. "take: {"ok":3}, the model {"ok":4}". */
  readonly problems: readonly string[];
  /** Cases whose numbers agree and whose refusals carry other codes (listed as divergences). */
  readonly codesDiffer: readonly string[];
}

const sameCounts = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
};

const sum = (records: readonly Readonly<Record<string, number>>[]) => {
  const total: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) total[k] = (total[k] ?? 0) + v;
  return total;
};

/** Each case's answers by class and outcome, next to the model's counts over the phases that ran. */
export function caseSummaries(
  scenario: Scenario,
  model: ModelRun,
  phases: readonly PhaseRun[],
  all: readonly Observation[],
): CaseSummary[] {
  const selected = new Set(phases.map((p) => p.index));
  const modelCounts = (name: string) =>
    sum(model.phases.filter((_, i) => selected.has(i)).map((p) => p.counts[name] ?? {}));
  return casesOf(scenario).map((c) => {
    const mine = all.filter((o) => o.request.caseName === c.name);
    const observed = countOutcomes(mine.filter((o) => o.klass !== "not-sent"));
    const expected = modelCounts(c.name);
    const byClass = (k: Observation["klass"]) => mine.filter((o) => o.klass === k).length;
    return {
      name: c.name,
      kind: c.action.kind,
      raced: c.raced,
      model: expected,
      observed,
      classes: {
        ok: byClass("ok"),
        rejected: byClass("rejected"),
        other4xx: byClass("other-4xx"),
        serverErrors: byClass("5xx"),
        timeouts: byClass("timeout"),
        network: byClass("network") + byClass("aborted"),
        notSent: byClass("not-sent"),
      },
      latency: latencyOf(mine),
      matchesModel: sameCounts(observed, expected),
    };
  });
}

/** Compares the cases' counts with the model's, step by step, or with the scenario's explicit counts. */
export function countFindings(scenario: Scenario, cases: readonly CaseSummary[]): CountFindings {
  const problems: string[] = [];
  const codesDiffer: string[] = [];
  if (scenario.expectations.counts !== "model") {
    for (const [name, expected] of Object.entries(scenario.expectations.counts)) {
      const row = cases.find((c) => c.name === name);
      for (const [outcome, n] of Object.entries(expected)) {
        const seen = row?.observed[outcome] ?? 0;
        if (seen !== n) problems.push(`${name}.${outcome}: ${seen}, expected ${n}`);
      }
    }
    return { problems, codesDiffer };
  }
  for (const step of scenario.round) {
    const names = step.cases.map((c) => c.name);
    const rows = cases.filter((c) => names.includes(c.name));
    if (step.cases.length > 1) {
      // Who wins a race is not determined; the number of successes usually is (a warning otherwise).
      const okModel = rows.reduce((s, r) => s + (r.model.ok ?? 0), 0);
      const okSeen = rows.reduce((s, r) => s + (r.observed.ok ?? 0), 0);
      if (okModel !== okSeen) problems.push(`${names.join(" + ")}: ${okSeen} ok, the model ${okModel}`);
      continue;
    }
    // Refusals in the server's own words are divergences (listed apart); the numbers must agree.
    for (const r of rows.filter((x) => !x.matchesModel)) {
      const modelOk = r.model.ok ?? 0;
      const modelRefused = Object.values(r.model).reduce((a, b) => a + b, 0) - modelOk;
      const c = r.classes;
      const same =
        c.ok === modelOk &&
        c.rejected + c.other4xx === modelRefused &&
        c.serverErrors + c.timeouts + c.network + c.notSent === 0;
      if (same) codesDiffer.push(r.name);
      else problems.push(`${r.name}: ${JSON.stringify(r.observed)}, the model ${JSON.stringify(r.model)}`);
    }
  }
  return { problems, codesDiffer };
}
