import type { RunResult } from "../runner.js";
import { countOutcomes, type Latency } from "../stats.js";
import type { ThresholdResult } from "../thresholds.js";
import type { HoldExpiry } from "../types.js";
import type { CaseSummary } from "./cases.js";
import { checkContext, type StockRow } from "./context.js";
import { judgeChecks } from "./list.js";
import { type Check, type Divergence, type RequestRef, refOf, type Violation } from "./types.js";

export type { CaseSummary } from "./cases.js";
export type { CheckContext, PhaseView, StockRow } from "./context.js";
export { type CheckDefinition, checks } from "./list.js";

export interface Verdict {
  readonly verdict: "pass" | "fail";
  readonly checks: readonly Check[];
  readonly violations: readonly Violation[];
  readonly divergences: readonly Divergence[];
  readonly cases: readonly CaseSummary[];
  readonly stock: readonly StockRow[];
  readonly latency: Latency;
  readonly requests: number;
  readonly rps: number;
  readonly thresholds: readonly ThresholdResult[];
  readonly indeterminate: {
    readonly count: number;
    readonly byOutcome: Record<string, number>;
    readonly examples: readonly RequestRef[];
  };
  /** The hold TTL the run was judged with (null: none declared), and why holds look like they expire anyway. */
  readonly expiry: { readonly declared: HoldExpiry | null; readonly suspected: string | null };
}

/** Judges a run: invariants, admissible outcomes, the model's counts, final stock and thresholds. */
export function checkRun(result: RunResult): Verdict {
  const ctx = checkContext(result);
  const checks = judgeChecks(ctx);
  const { percentile: _, ...latency } = ctx.latency;
  return {
    verdict: checks.some((c) => c.status === "fail") ? "fail" : "pass",
    checks,
    violations: checks.flatMap((c) => c.violations),
    divergences: ctx.phases.flatMap((p) => p.divergences),
    // The histograms stay behind: a verdict is plain data.
    cases: ctx.cases.map(({ latency: l, ...rest }) => {
      const { percentile: __, ...plain } = l as Latency & { percentile?: unknown };
      return { ...rest, latency: plain };
    }),
    stock: ctx.stock,
    latency,
    requests: ctx.sent.length,
    rps: ctx.rps,
    thresholds: ctx.thresholds,
    indeterminate: {
      count: ctx.indeterminate.length,
      byOutcome: countOutcomes(ctx.indeterminate),
      examples: ctx.indeterminate
        .slice(0, 10)
        .map((o) => refOf(result.phases.find((p) => p.index === o.request.phase)?.name ?? "", o)),
    },
    expiry: {
      declared: result.scenario.holdTtl ?? null,
      suspected: ctx.phases.find((p) => p.expiry.suspected !== null)?.expiry.suspected?.message ?? null,
    },
  };
}
