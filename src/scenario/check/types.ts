import type { Observation } from "../runner.js";

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
  readonly check: string;
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
  readonly id: string;
  readonly title: string;
  readonly status: CheckStatus;
  readonly summary: string;
  readonly violations: readonly Violation[];
}

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
