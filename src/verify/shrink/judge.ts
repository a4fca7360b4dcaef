/**
 * @module
 * Runs a scenario once the way `audit` runs a phase, and judges one failure class on it.
 */

import { type ClassId, type ClassStatus, type ClassVerdict, classVerdicts } from "../audit/classes.js";
import type { ScenarioAudit, ScenarioAuditOptions } from "../audit/scenario-audit.js";
import { auditScenario } from "../audit/scenario-audit.js";
import type { Scenario } from "../scenario/types.js";

/** One run of a scenario against the target, judged for one failure class. */
export interface JudgedRun {
  /** fail: the class failed; pass: it was judged and held; unjudged: the run could not have shown it. */
  readonly status: ClassStatus;
  /** Why the class was not judged, when it was not. */
  readonly reason: string | null;
  readonly verdict: ClassVerdict | null;
  readonly audit: ScenarioAudit;
  /** Requests sent in the run. */
  readonly requests: number;
  readonly ms: number;
}

/** Runs a scenario once, the way `audit` runs a phase, and judges every failure class on it. */
export type RunOnce = (scenario: Scenario) => Promise<{ audit: ScenarioAudit; classes: readonly ClassVerdict[] }>;

/** The audit's own way of running and judging a scenario, as the shrinker's one run. */
export function auditRunner(options: Omit<ScenarioAuditOptions, "onProgress" | "record">): RunOnce {
  return async (scenario) => {
    const audit = await auditScenario(scenario, options);
    return { audit, classes: classVerdicts([audit]) };
  };
}

/**
 * The class's status in one run. A run that could not be carried out (set-up failed) is not a
 * failure of the class, as the audit would count it: it says nothing about the race, so it is
 * unjudged here, and so is a class the run had no power to judge.
 */
export function statusOf(klass: ClassId, audit: ScenarioAudit, classes: readonly ClassVerdict[]): JudgedRun {
  const ms = audit.durationMs;
  const requests = audit.requests;
  if (audit.error !== null) return { status: "unjudged", reason: audit.error, verdict: null, audit, requests, ms };
  const verdict = classes.find((c) => c.id === klass) ?? null;
  if (verdict === null)
    return { status: "unjudged", reason: `the audit gave no verdict on ${klass}`, verdict, audit, requests, ms };
  if (verdict.verdict === "pass" || verdict.verdict === "fail")
    return { status: verdict.verdict, reason: null, verdict, audit, requests, ms };
  return { status: "unjudged", reason: verdict.evidence[0] ?? "not judged", verdict, audit, requests, ms };
}

/** Runs `scenario` once and judges `klass` on it. */
export async function judgeOnce(run: RunOnce, scenario: Scenario, klass: ClassId): Promise<JudgedRun> {
  const { audit, classes } = await run(scenario);
  return statusOf(klass, audit, classes);
}
