/**
 * @module
 * Judges a run (invariants, admissible outcomes, the model's counts, final stock, thresholds) into a verdict.
 */

import { causeOutcome, connectionCauses } from "../../probe/transport-cause.js";
import type { RunResult } from "../runner.js";
import { countOutcomes, type Latency } from "../stats.js";
import type { ThresholdResult } from "../thresholds.js";
import type { HoldExpiry } from "../types.js";
import type { CaseSummary } from "./cases.js";
import type { PhaseContention } from "./contention.js";
import { type CheckContext, checkContext, type StockRow } from "./context.js";
import { type ExpiryPower, totalPower } from "./expiry-power.js";
import { judgeChecks } from "./list.js";
import { findMismatches, type Mismatch } from "./mismatch.js";
import { type RunPower, runPower } from "./power.js";
import { describeStop } from "./stopped.js";
import { type Check, type Divergence, type RequestRef, refOf, type Violation } from "./types.js";

export type { CaseSummary } from "./cases.js";
export type { CheckContext, PhaseView, StockRow } from "./context.js";
export { type CheckDefinition, checks } from "./list.js";
export type { Mismatch } from "./mismatch.js";
export type { FaultId, RunPower, SmallestFault } from "./power.js";

/** Why a run could not be judged, and what to do about it: the first lines of every report. */
export interface NotJudged {
  readonly reason: string;
  readonly fix: string;
}

export interface Verdict {
  /** not-judged: the run says nothing about the target (set-up failed, nothing answered, target/scenario mismatch, target stopped). */
  readonly verdict: "pass" | "fail" | "not-judged";
  /** Set when the verdict is not-judged, or when the target stopped after a check had already found a violation. */
  readonly notJudged: NotJudged | null;
  /** The run itself could not be judged (set-up, mismatch, nothing answered, target stopped): its checks were skipped. */
  readonly blocked: boolean;
  /** Target/scenario mismatches, one line each (a SKU the target lacks, a route that 404s). */
  readonly mismatches: readonly Mismatch[];
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
  /** Per phase: whether conflicting requests were in flight together (the race checks' power). */
  readonly contention: readonly PhaseContention[];
  /** The hold TTL the run was judged with (null: none declared), and why holds look like they expire anyway. */
  readonly expiry: {
    readonly declared: HoldExpiry | null;
    readonly suspected: string | null;
    /** With a declared TTL: what of each expiry fault the run could have shown. */
    readonly power: ExpiryPower | null;
  };
  /** Units left unobservable, and the smallest fault of each class the run could have seen. */
  readonly power: RunPower;
}

const connectionOutcomes = new Set([...connectionCauses].map((c) => causeOutcome[c]));

/** The reason nothing can be judged from the run, if there is one; `keepEvidence`: violations already found still stand. */
function blocked(
  result: RunResult,
  sent: CheckContext["sent"],
  mismatches: readonly Mismatch[],
): (NotJudged & { short: string; keepEvidence: boolean }) | null {
  if (result.setupError !== null)
    return {
      reason: result.setupError,
      short: "the set-up failed",
      fix: "fix the set-up named above and run again",
      keepEvidence: false,
    };
  if (mismatches.length > 0)
    return {
      reason: mismatches.map((m) => m.message).join("; "),
      short: "the target does not match the scenario",
      fix: mismatches.map((m) => m.fix).join("; "),
      keepEvidence: false,
    };
  // Nothing connected at all (refused, reset, DNS, TLS): a server that accepts and never answers
  // is judged instead — its timeouts fail the run.
  if (sent.length > 0 && sent.every((o) => connectionOutcomes.has(o.outcome))) {
    const causes = Object.entries(countOutcomes(sent))
      .map(([k, v]) => `${k} ×${v}`)
      .join(", ");
    return {
      reason: `none of the ${sent.length} requests got an HTTP answer (${causes})`,
      short: "no request got an HTTP answer",
      fix: `is the server at ${result.target} running and reachable? Check --target`,
      keepEvidence: false,
    };
  }
  if (result.stopped !== null) return { ...describeStop(result.stopped, sent), keepEvidence: true };
  // The operator stopped the run: what was answered is evidence, what was never sent judges nothing.
  if (result.interrupted != null)
    return {
      reason: `interrupted (${result.interrupted}) after ${sent.length} of ${result.phases.reduce((n, p) => n + p.observations.length, 0) || "its"} requests`,
      short: "interrupted",
      fix: "run again and let it finish (bound it with --max-duration rather than a signal)",
      keepEvidence: true,
    };
  if (sent.length === 0)
    return {
      reason: "no request was sent",
      short: "no request was sent",
      fix: "check --phase and the scenario's rounds",
      keepEvidence: false,
    };
  return null;
}

/** Judges a run: invariants, admissible outcomes, the model's counts, final stock and thresholds. */
export function checkRun(result: RunResult): Verdict {
  const ctx = checkContext(result);
  const judged = judgeChecks(ctx);
  const stockKnown = result.scenario.stockSetup === "admin" || result.phases.some((p) => p.before !== null);
  const mismatches = findMismatches(result.scenario, ctx.sent, 3, stockKnown);
  const block = blocked(result, ctx.sent, mismatches);
  // A check that judged nothing says so with the reason; a violation already found on a target that
  // later stopped still stands as evidence.
  const checks: Check[] =
    block === null
      ? judged
      : judged.map((c) =>
          c.id === "setup" || (block.keepEvidence && c.violations.length > 0)
            ? c
            : { ...c, status: "skip", summary: `not judged (${block.short})`, violations: [] },
        );
  const { percentile: _, ...latency } = ctx.latency;
  const failed = checks.some((c) => c.status === "fail" && (block === null || c.id !== "setup"));
  // Stock came back that no cancel explains and no TTL was declared: the checks it kept from judging
  // say so, and the run as a whole is not a pass (a server with the classic fault could look the same).
  const suspicion = ctx.phases.find((p) => p.expiry.suspected !== null)?.expiry.suspected ?? null;
  const suspected = suspicion?.message ?? null;
  const replays = checks.find((c) => c.id === "duplicate-hold" && c.status === "skip");
  const expiryBlock =
    block === null && suspicion !== null && checks.some((c) => c.status === "skip")
      ? { reason: suspicion.message, fix: suspicion.fix }
      : block === null && replays !== undefined
        ? {
            reason: replays.summary,
            fix: "observe the final stock: the test-control API (--admin-key), --snapshot, or --final-stock for check",
          }
        : null;
  return {
    verdict: failed ? "fail" : block !== null || expiryBlock !== null ? "not-judged" : "pass",
    notJudged: block === null ? expiryBlock : { reason: block.reason, fix: block.fix },
    blocked: block !== null,
    mismatches,
    checks,
    violations: checks.flatMap((c) => c.violations),
    divergences: ctx.phases.flatMap((p) => p.divergences),
    // The histograms stay behind: a verdict is plain data.
    cases: ctx.cases.map(({ latency: l, ...rest }) => {
      const { percentile: __, ...plain } = l as Latency & { percentile?: unknown };
      return { ...rest, latency: plain };
    }),
    stock: ctx.stock,
    contention: ctx.phases.map((p) => p.contention),
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
      suspected,
      power: result.scenario.holdTtl === null ? null : totalPower(ctx.phases.map((p) => p.expiry.power)),
    },
    power: runPower(ctx.phases),
  };
}
