/**
 * @module
 * The shrink's terminal report: a headline a ticket can quote, then the failing run.
 */

import { interleavingOf, interleavingText } from "../../shrink/interleaving.js";
import type { JudgedRun } from "../../shrink/judge.js";
import { classTitle, failureRate, shrinkSteps } from "../../shrink/repro-file.js";
import type { ShrinkOutcome } from "../../shrink/search.js";
import { describeSize } from "../../shrink/size.js";
import type { KeepRule } from "../../shrink/trial.js";

export interface ReportContext {
  readonly scenario: string;
  readonly target: string;
  readonly rule: KeepRule;
  readonly budgetMs: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The run in which the written scenario (or the first failure) failed: its interleaving is shown. */
export function failingRun(outcome: ShrinkOutcome): JudgedRun | null {
  if (outcome.kind === "not-reproduced") return outcome.first;
  if (outcome.kind === "shrunk") return outcome.confirmation.failing ?? outcome.result.trial.failing;
  return null;
}

/** The first line of every outcome: what was found, in words a ticket can quote. */
export function headline(outcome: ShrinkOutcome, context: ReportContext): string {
  switch (outcome.kind) {
    case "nothing": {
      const title = outcome.klass === null ? null : `"${classTitle(outcome.klass)}"`;
      if (outcome.passed === 0)
        return `NOT JUDGED: ${title ?? "no failure class"} could not be judged in ${plural(outcome.runs, "run")} of ${context.scenario}: ${outcome.unjudgedReason ?? "no run could have shown it"}`;
      const unjudged = outcome.unjudged === 0 ? "" : ` (${outcome.unjudged} not judged)`;
      const what = title === null ? "no failure class failed" : `${title} did not fail`;
      const others =
        outcome.othersFailed.length === 0
          ? ""
          : ` Other classes failed: ${outcome.othersFailed.join(", ")} (shrink one with --class).`;
      return `Nothing to shrink: ${what} in ${plural(outcome.runs, "run")} of ${context.scenario}${unjudged}.${others}`;
    }
    case "not-reproduced":
      return `NOT REPRODUCED: "${classTitle(outcome.klass)}" failed once in ${plural(outcome.first.requests, "request")} (one run of ${context.scenario}); ${outcome.rerunsFailed} of ${plural(outcome.reruns, "rerun")} failed${outcome.rerunsUnjudged === 0 ? "" : ` (${outcome.rerunsUnjudged} not judged)`}. Nothing was shrunk and no file written.`;
    case "shrunk":
      return `SHRUNK: "${classTitle(outcome.klass)}" from ${plural(outcome.original.size.requests, "request")} to ${plural(outcome.result.size.requests, "request")}; the scenario written ${failureRate(outcome.confirmation.failed, outcome.confirmation.runs)}.`;
  }
}

/** The terminal report of a shrink. */
export function shrinkText(outcome: ShrinkOutcome, context: ReportContext): string {
  const lines = [headline(outcome, context), `  target ${context.target}, scenario ${context.scenario}`];
  if (outcome.kind === "nothing") {
    lines.push(
      outcome.passed === 0
        ? `  ${plural(outcome.runs, "run")} in ${seconds(outcome.ms)}, none of which could have shown it: nothing shrunk, no file written.`
        : `  ${plural(outcome.runs, "run")} in ${seconds(outcome.ms)}: a passing run has nothing to shrink; no file written.`,
    );
    if (outcome.neverJudged.length > 0)
      lines.push(
        `  NOT JUDGED in any run, so not known to pass: ${outcome.neverJudged.map((id) => classTitle(id)).join(", ")}${outcome.neverJudgedReason === null ? "" : ` — ${outcome.neverJudgedReason}`}`,
      );
    return lines.join("\n");
  }
  if (outcome.kind === "not-reproduced") {
    lines.push(
      "  A failure seen once and not again cannot be reduced to a scenario that shows it: stockproof does not make one up.",
      "  What the failing run saw:",
      ...(outcome.first.verdict?.evidence.map((e) => `    ${e}`) ?? []),
      ...interleavingText(interleavingOf(outcome.first)).map((l) => `  ${l}`),
      `  Run it again (--reruns N for more tries), or raise the traffic that made it fail.`,
    );
    return lines.join("\n");
  }
  const { rule } = context;
  lines.push(
    `  ${describeSize(outcome.original.size)}  →  ${describeSize(outcome.result.size)}`,
    `  ${plural(outcome.candidatesTried, "candidate")} tried, ${plural(outcome.runs, "run")}, ${seconds(outcome.ms)}${outcome.budgetHit ? ` (the ${seconds(context.budgetMs)} budget ran out: a longer --budget may shrink further)` : ""}; a candidate was kept when it failed in ${rule.keep} of ${rule.runs} runs`,
  );
  if (outcome.rare)
    lines.push(
      "  The smallest scenarios kept failed in fewer than half of their confirmation runs: the one written fails rarely; replay it several times.",
    );
  const steps = shrinkSteps(outcome);
  if (steps.length > 0) lines.push("  shrunk by:", ...steps.map((s) => `    ${s}`));
  const run = failingRun(outcome);
  if (run !== null) {
    const interleaving = interleavingOf(run);
    lines.push(`  The failing interleaving (ms from the first request):`, ...interleavingText(interleaving));
    lines.push(...interleaving.evidence.map((e) => `  ${e}`));
  }
  return lines.join("\n");
}
