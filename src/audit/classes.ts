import type { CheckId, Divergence, RequestRef, Violation } from "../scenario/check/types.js";
import { refOf } from "../scenario/check/types.js";
import { isTimeoutLike, passEvidence, phaseLabel, stockLines, tally } from "./class-evidence.js";
import type { PhaseAudit, ScenarioAudit } from "./scenario-audit.js";

export { describeRef } from "./class-evidence.js";

export type ClassId =
  | "oversell"
  | "lost-update"
  | "double-restore"
  | "paid-and-cancelled"
  | "errors-under-contention"
  | "timeouts"
  | "wrong-rejection"
  | "ownership"
  | "hold-expiry";

export type ClassStatus = "pass" | "fail" | "unjudged";

export interface FailureClass {
  readonly id: ClassId;
  readonly title: string;
  /** The built-in scenario made to show it (it is judged on every scenario). */
  readonly primary: string;
  /** Checker violations that belong to this class, by the check (or rule) that found them. */
  readonly checks: readonly CheckId[];
}

/** The failure classes the audit gives a verdict on, in table order. */
export const failureClasses: readonly FailureClass[] = [
  { id: "oversell", title: "Oversell", primary: "seed-3-1", checks: ["oversell"] },
  {
    id: "lost-update",
    title: "Lost update / conservation",
    primary: "crossed-carts",
    checks: ["conservation", "duplicate-hold", "lost-restore", "pay-without-reservation", "invariant", "model-steps"],
  },
  { id: "double-restore", title: "Double restore", primary: "races", checks: ["double-restore"] },
  { id: "paid-and-cancelled", title: "Paid and cancelled", primary: "races", checks: ["paid-and-cancelled"] },
  { id: "errors-under-contention", title: "Errors under contention (5xx)", primary: "contention", checks: [] },
  { id: "timeouts", title: "Timeouts", primary: "contention", checks: [] },
  { id: "wrong-rejection", title: "Wrong rejection", primary: "contention", checks: ["wrong-rejection"] },
  { id: "ownership", title: "Ownership (foreign orders)", primary: "crossed-carts", checks: ["foreign-order"] },
  {
    id: "hold-expiry",
    title: "Hold expiry",
    primary: "expiry",
    checks: ["paid-after-release", "never-released", "released-early", "released-twice"],
  },
];

/**
 * The checks whose findings an expiry the audit was not told about can explain, per class: when one
 * of them was left unjudged for it, the class is unjudged (a class they all passed stays judged).
 */
const expiryAffected: Partial<Record<ClassId, readonly CheckId[]>> = {
  oversell: ["oversell"],
  "lost-update": ["conservation", "orders", "model-steps"],
  "double-restore": ["double-restore"],
  "wrong-rejection": ["orders", "rejections"],
  "hold-expiry": ["hold-expiry"],
};

export interface ClassVerdict {
  readonly id: ClassId;
  readonly title: string;
  readonly verdict: ClassStatus;
  /** Scenarios that judged it, and those where it failed. */
  readonly judgedIn: readonly string[];
  readonly failedIn: readonly string[];
  /** Counts, violations, final stock against expected: one line each. */
  readonly evidence: readonly string[];
  /** The first offending requests. */
  readonly requests: readonly RequestRef[];
  /** Wall time of the scenario made to show it (0 when that scenario was not run). */
  readonly timeMs: number;
}

/**
 * The checker calls an excess of stock a double restore whenever some order was cancelled twice.
 * Repeated cancels can put back at most (accepted cancels − 1) × the order's units; a larger
 * excess has another cause (lost updates), so it is judged as conservation instead.
 */
export function attributedViolations(p: PhaseAudit): Violation[] {
  return p.verdict.violations.map((v) => {
    if (v.check !== "double-restore" || v.sku === null) return v;
    const sku = v.sku;
    const row = p.verdict.stock.find((r) => r.sku === sku);
    if (row === undefined || row.observed === null) return v;
    const excess = row.observed - row.max;
    const observations = p.result.phases.flatMap((r) => r.observations);
    let explainable = 0;
    for (const id of new Set(
      observations.filter((o) => o.request.kind === "cancel").map((o) => o.request.paymentOrderId),
    )) {
      const accepted = observations.filter(
        (o) => o.request.paymentOrderId === id && o.request.kind === "cancel" && o.klass === "ok",
      );
      const reserve = observations.find(
        (o) => o.request.paymentOrderId === id && o.request.kind === "reserve" && o.klass === "ok",
      );
      const units = reserve?.request.lines.reduce((n, l) => (l.sku === sku ? n + l.count : n), 0) ?? 0;
      if (accepted.length > 1) explainable += (accepted.length - 1) * units;
    }
    if (excess <= explainable) return v;
    return {
      ...v,
      check: "conservation",
      message: `SKU ${sku} has ${excess} units more than conservation allows — more than the ${explainable} units repeated cancels could have put back: accepted reservations did not all take stock (a lost update).`,
    };
  });
}

interface Finding {
  readonly failed: boolean;
  readonly judged: boolean;
  /** Why it could not be judged here, when something other than missing stock kept it from it. */
  readonly unjudged?: string;
  readonly evidence: string[];
  readonly requests: RequestRef[];
}

/**
 * A phase the checker could judge nothing in (set-up failed, the target did not match the scenario,
 * or stopped answering) had its checks skipped: no class passes on it. A failure found before the
 * target stopped still stands.
 */
function judgeClass(klass: FailureClass, s: ScenarioAudit, p: PhaseAudit): Finding {
  const found = judgeClassIn(klass, s, p);
  if (!p.verdict.blocked || found.failed) return found;
  const reason = p.verdict.notJudged?.reason ?? "not judged";
  return { failed: false, judged: false, unjudged: `${phaseLabel(s, p)}: ${reason}`, evidence: [], requests: [] };
}

function judgeClassIn(klass: FailureClass, s: ScenarioAudit, p: PhaseAudit): Finding {
  const label = phaseLabel(s, p);
  const sent = p.result.phases.flatMap((r) => r.observations).filter((o) => o.klass !== "not-sent");
  const notSent = p.result.phases.flatMap((r) => r.observations).length - sent.length;
  switch (klass.id) {
    case "errors-under-contention": {
      const errors = sent.filter((o) => o.klass === "5xx");
      if (errors.length === 0) return { failed: false, judged: true, evidence: [], requests: [] };
      return {
        failed: true,
        judged: true,
        evidence: [`${label}: ${errors.length} of ${sent.length} answered 5xx: ${tally(errors)}`],
        requests: errors.slice(0, 3).map((o) => refOf(label, o)),
      };
    }
    case "timeouts": {
      const lost = sent.filter(isTimeoutLike);
      if (lost.length === 0 && notSent === 0 && !p.result.timedOut)
        return { failed: false, judged: true, evidence: [], requests: [] };
      const cut = p.result.timedOut ? "; the run hit its time bound" : "";
      return {
        failed: true,
        judged: true,
        evidence: [
          `${label}: ${lost.length} of ${sent.length} without an answer (${tally(lost) || "none"}), ${notSent} never sent${cut}`,
        ],
        requests: lost.slice(0, 3).map((o) => refOf(label, o)),
      };
    }
    default: {
      const violations = attributedViolations(p).filter((v) => klass.checks.includes(v.check));
      const suspected = p.verdict.expiry.suspected;
      const leftForExpiry = p.verdict.checks.some(
        (c) => c.status === "skip" && c.summary === suspected && (expiryAffected[klass.id] ?? []).includes(c.id),
      );
      if (suspected !== null && leftForExpiry && violations.length === 0)
        return { failed: false, judged: false, unjudged: `${label}: ${suspected}`, evidence: [], requests: [] };
      if (klass.id === "hold-expiry" && p.verdict.expiry.declared === null)
        return { failed: false, judged: false, evidence: [], requests: [] };
      if (klass.id === "lost-update" && violations.length === 0) {
        const replays = p.verdict.checks.find((c) => c.id === "duplicate-hold" && c.status === "skip");
        if (replays !== undefined)
          return { failed: false, judged: false, unjudged: `${label}: ${replays.summary}`, evidence: [], requests: [] };
      }
      const needsStock = klass.id === "lost-update" || klass.id === "double-restore" || klass.id === "hold-expiry";
      const observed = p.stockObservation !== "none";
      const evidence = violations.slice(0, 3).map((v) => `${label}: ${v.message}`);
      if (violations.length > 3) evidence.push(`${label}: … ${violations.length - 3} more`);
      if (needsStock && observed && violations.length > 0) evidence.push(...stockLines(s, p, true));
      return {
        failed: violations.length > 0,
        judged: !needsStock || observed || violations.length > 0,
        evidence,
        requests: violations.flatMap((v) => v.requests).slice(0, 3),
      };
    }
  }
}

/**
 * One verdict per failure class over every audited scenario. Hold expiry is listed only when a TTL
 * was declared or holds looked like they expire.
 */
export function classVerdicts(audits: readonly ScenarioAudit[]): ClassVerdict[] {
  const phases = audits.flatMap((s) => s.phases);
  const expiryShown = phases.some((p) => p.verdict.expiry.declared !== null || p.verdict.expiry.suspected !== null);
  return failureClasses
    .filter((klass) => klass.id !== "hold-expiry" || expiryShown)
    .map((klass) => {
      const unjudged: string[] = [];
      const judgedIn = new Set<string>();
      const failedIn = new Set<string>();
      const evidence: string[] = [];
      const requests: RequestRef[] = [];
      let timeMs = 0;
      for (const s of audits) {
        let judged = false;
        for (const p of s.phases) {
          const found = judgeClass(klass, s, p);
          if (found.judged) judged = true;
          if (found.unjudged !== undefined) unjudged.push(found.unjudged);
          if (found.failed) {
            failedIn.add(s.scenario.name);
            evidence.push(...found.evidence);
            requests.push(...found.requests);
          }
        }
        if (s.error !== null) {
          failedIn.add(s.scenario.name);
          evidence.push(`${s.scenario.name}: not carried out — ${s.error}`);
        }
        if (judged) judgedIn.add(s.scenario.name);
        if (s.scenario.name === klass.primary) timeMs = s.durationMs;
      }
      const verdict: ClassStatus =
        failedIn.size > 0 ? "fail" : judgedIn.size === 0 || unjudged.length > 0 ? "unjudged" : "pass";
      if (verdict === "unjudged" && unjudged.length > 0) evidence.push(...new Set(unjudged));
      else if (verdict === "unjudged" && klass.id === "hold-expiry") {
        evidence.push("no hold TTL declared: give --hold-ttl DURATION (and --expiry-grace) to judge expiry");
      } else if (verdict === "unjudged") {
        evidence.push(
          "final stock was not observed: give --snapshot CMD, keep the probe on, or use the test-control API",
        );
      }
      return {
        id: klass.id,
        title: klass.title,
        verdict,
        judgedIn: [...judgedIn],
        failedIn: [...failedIn],
        evidence: verdict === "pass" ? passEvidence(klass, audits) : evidence,
        requests: requests.slice(0, 3),
        timeMs,
      };
    });
}

/** Divergences from the reference contract over every scenario, with the scenario named. */
export function allDivergences(audits: readonly ScenarioAudit[]): (Divergence & { readonly scenario: string })[] {
  return audits.flatMap((s) =>
    s.phases.flatMap((p) => p.verdict.divergences.map((d) => ({ ...d, scenario: s.scenario.name }))),
  );
}
