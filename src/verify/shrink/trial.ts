/**
 * @module
 * Runs a candidate until it is kept (failed often enough) or dropped (cannot fail often enough any more).
 */

import type { ClassId } from "../audit/classes.js";
import type { Scenario } from "../scenario/types.js";
import { type JudgedRun, judgeOnce, type RunOnce } from "./judge.js";

/** How often a candidate must fail to be kept: in at least `keep` of `runs` runs. */
export interface KeepRule {
  readonly runs: number;
  readonly keep: number;
}

/** What repeated runs of one scenario showed. */
export interface Trial {
  readonly runs: number;
  readonly failed: number;
  readonly passed: number;
  readonly unjudged: number;
  readonly kept: boolean;
  /** The first run in which the class failed (its interleaving is the one reported). */
  readonly failing: JudgedRun | null;
  /** Why the class went unjudged, when a run left it so. */
  readonly unjudgedReason: string | null;
  readonly ms: number;
}

/**
 * Runs `scenario` until the rule is decided: kept as soon as it has failed `keep` times, dropped as
 * soon as the runs left cannot make up the difference (a candidate that never fails costs
 * runs − keep + 1 runs, one that always fails costs `keep`). An unjudged run counts against it:
 * it proves nothing either way. A trial stopped early (the budget ran out) is not kept.
 */
export async function runTrial(
  run: RunOnce,
  scenario: Scenario,
  klass: ClassId,
  rule: KeepRule,
  options: {
    /** Ends the trial before its next run (the budget ran out). */
    readonly stop?: () => boolean;
    readonly onRun?: (r: JudgedRun) => void;
    /** Run all `rule.runs` runs, to measure a failure rate (no early decision). */
    readonly all?: boolean;
  } = {},
): Promise<Trial> {
  const stop = options.stop ?? (() => false);
  const decided = (failed: number, left: number) => failed >= rule.keep || failed + left < rule.keep;
  let failed = 0;
  let passed = 0;
  let unjudged = 0;
  let failing: JudgedRun | null = null;
  let unjudgedReason: string | null = null;
  let ms = 0;
  for (let i = 0; i < rule.runs; i++) {
    if ((options.all !== true && decided(failed, rule.runs - i)) || stop()) break;
    const r = await judgeOnce(run, scenario, klass);
    ms += r.ms;
    options.onRun?.(r);
    if (r.status === "fail") {
      failed++;
      failing ??= r;
    } else if (r.status === "pass") passed++;
    else {
      unjudged++;
      unjudgedReason ??= r.reason;
    }
  }
  return {
    runs: failed + passed + unjudged,
    failed,
    passed,
    unjudged,
    kept: failed >= rule.keep,
    failing,
    unjudgedReason,
    ms,
  };
}
