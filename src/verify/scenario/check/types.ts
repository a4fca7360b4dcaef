/**
 * @module
 * The vocabulary of checks: ids, statuses, violations, divergences and judgements.
 */

import type { Observation } from "../runner.js";

/**
 * The checks of the list (list.ts), and the finer rules the "orders" and "rejections" checks name
 * in their violations. Audit classes select violations by these ids, so a misspelt one fails typecheck.
 */
export type CheckId =
  | "setup"
  | "oversell"
  | "rejections"
  | "orders"
  | "conservation"
  | "double-restore"
  | "invariant"
  | "model-steps"
  | "indeterminate"
  | "time-bound"
  | "counts"
  | "final-stock"
  | "thresholds"
  | "hold-expiry"
  // Rules within a check: what exactly a violation of "orders" or "rejections" broke.
  | "wrong-rejection"
  | "duplicate-hold"
  | "paid-and-cancelled"
  | "foreign-order"
  | "pay-without-reservation"
  | "lost-restore"
  // Rules of "hold-expiry": how a server with a declared hold TTL got expiry wrong.
  | "paid-after-release"
  | "never-released"
  | "released-early"
  | "released-twice";

/**
 * pass, fail and warn are judgements. skip means not judged: there was nothing to judge it on (no
 * snapshot, say), and the check's summary says why. A check that judged nothing never passes.
 */
export type CheckStatus = "pass" | "fail" | "warn" | "skip";

/** A request named in a report: enough to find it in the server's logs. */
export interface RequestRef {
  readonly seq: number;
  readonly phase: string;
  readonly round: number;
  readonly caseName: string;
  readonly kind: string;
  readonly paymentOrderId: string;
  readonly outcome: string;
  readonly status: number | null;
  readonly sentAt: number | null;
  readonly endedAt: number | null;
}

/** Something the model cannot explain: an invariant broken or an impossible answer. */
export interface Violation {
  readonly check: CheckId;
  readonly phase: string;
  readonly sku: number | null;
  readonly message: string;
  readonly expected: string;
  readonly observed: string;
  readonly requests: readonly RequestRef[];
}

/** An answer that differs from the reference contract but breaks no invariant. */
export interface Divergence {
  readonly phase: string;
  readonly caseName: string;
  readonly kind: string;
  /** What the reference answers in that situation. */
  readonly reference: string;
  readonly observed: string;
  readonly count: number;
  readonly examples: readonly RequestRef[];
}

export interface Check {
  readonly id: CheckId;
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found; for a check not judged (skip), the reason. */
  readonly summary: string;
  readonly violations: readonly Violation[];
}

/** What a check's judge returns: a judgement with its findings, or why it could not judge. */
export type Judgement =
  | {
      readonly status: "pass" | "fail" | "warn";
      readonly summary: string;
      readonly violations?: readonly Violation[];
    }
  | { readonly status: "skip"; readonly reason: string };

/** Not judged, and why: e.g. "not observed (no snapshot)". */
export const notJudged = (reason: string): Judgement => ({ status: "skip", reason });

/** Fails with the violations when there are any, else passes with `passSummary`. */
export const judgedBy = (violations: readonly Violation[], passSummary: string): Judgement => ({
  status: violations.length > 0 ? "fail" : "pass",
  summary: violations.length > 0 ? `${violations.length} violation${violations.length === 1 ? "" : "s"}` : passSummary,
  violations,
});

export function refOf(phase: string, o: Observation): RequestRef {
  return {
    seq: o.request.seq,
    phase,
    round: o.request.round,
    caseName: o.request.caseName,
    kind: o.request.kind,
    paymentOrderId: o.request.paymentOrderId,
    outcome: o.outcome,
    status: o.status,
    sentAt: o.sentAt === null ? null : Math.round(o.sentAt * 100) / 100,
    endedAt: o.endedAt === null ? null : Math.round(o.endedAt * 100) / 100,
  };
}

/** Indeterminate: the server's effect is unknown (5xx, timeout, network error, aborted). */
export const isIndeterminate = (o: Observation) =>
  o.klass === "5xx" || o.klass === "timeout" || o.klass === "network" || o.klass === "aborted";

export const isRefusal = (o: Observation) => o.klass === "rejected" || o.klass === "other-4xx";

/** Sent, and either succeeded or may have. */
export const mayHaveApplied = (o: Observation) => o.klass === "ok" || isIndeterminate(o);
