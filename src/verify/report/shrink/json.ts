/**
 * @module
 * The shrink as JSON for CI: what was found, the sizes, the failure rate, the file and the interleaving.
 */

import { interleavingOf } from "../../shrink/interleaving.js";
import { failureRate, shrinkSteps } from "../../shrink/repro-file.js";
import type { ShrinkOutcome } from "../../shrink/search.js";
import { failingRun, headline, type ReportContext } from "./text.js";

/** The shrink as JSON for CI: what was found, the sizes, the rate, the file and the interleaving. */
export function shrinkJson(outcome: ShrinkOutcome, context: ReportContext, file: string | null, replay: string | null) {
  const run = failingRun(outcome);
  return {
    outcome: outcome.kind,
    headline: headline(outcome, context),
    target: context.target,
    scenario: context.scenario,
    class: outcome.klass,
    keep: context.rule,
    ms: Math.round(outcome.ms),
    ...(outcome.kind === "nothing"
      ? {
          runs: outcome.runs,
          passed: outcome.passed,
          unjudged: outcome.unjudged,
          othersFailed: outcome.othersFailed,
          neverJudged: outcome.neverJudged,
        }
      : {}),
    ...(outcome.kind === "not-reproduced"
      ? {
          firstRequests: outcome.first.requests,
          reruns: outcome.reruns,
          rerunsFailed: outcome.rerunsFailed,
          rerunsUnjudged: outcome.rerunsUnjudged,
        }
      : {}),
    ...(outcome.kind === "shrunk"
      ? {
          from: outcome.original.size,
          to: outcome.result.size,
          rate: failureRate(outcome.confirmation.failed, outcome.confirmation.runs),
          failed: outcome.confirmation.failed,
          confirmationRuns: outcome.confirmation.runs,
          rare: outcome.rare,
          steps: shrinkSteps(outcome),
          candidatesTried: outcome.candidatesTried,
          runs: outcome.runs,
          budgetHit: outcome.budgetHit,
          file,
          replay,
        }
      : {}),
    interleaving: run === null ? null : interleavingOf(run),
  };
}
