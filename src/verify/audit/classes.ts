/**
 * @module
 * The failure classes the audit judges, and one verdict per class over every audited scenario.
 */

import { lostUpdateUnreached, oversellUnreached } from "../scenario/check/contention.js";
import { describePower, noPower, totalPower, unseenExpiryFaults } from "../scenario/check/expiry-power.js";
import { combineFaults } from "../scenario/check/power.js";
import type { CheckId, Divergence, RequestRef } from "../scenario/check/types.js";
import { refOf } from "../scenario/check/types.js";
import { isTimeoutLike, passEvidence, phaseLabel, stockLines, tally, unobservedStock } from "./class-evidence.js";
import { auditFigures, classPower, type PowerFigure } from "./class-power.js";
import type { ClassId, ClassStatus, FailureClass } from "./failure-classes.js";
import { failureClasses } from "./failure-classes.js";
import type { PhaseAudit, ScenarioAudit } from "./scenario-audit.js";

export { describeRef } from "./class-evidence.js";
export { type ClassId, type ClassStatus, type FailureClass, failureClasses } from "./failure-classes.js";

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
  /** The smallest fault of the class the audit could have seen, in its own words, or "none: …". */
  readonly smallestFault: string;
  /** What gave the class its power: contention, send spread, expiry power, units left unobservable. */
  readonly power: readonly PowerFigure[];
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
      const violations = p.verdict.violations.filter((v) => klass.checks.includes(v.check));
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
  const faults = combineFaults(phases.map((p) => p.verdict.power.smallest));
  const figures = auditFigures(phases);
  return failureClasses
    .filter((klass) => klass.id !== "hold-expiry" || expiryShown)
    .map((klass) => {
      const unjudged: string[] = [];
      const judgedIn = new Set<string>();
      const failedIn = new Set<string>();
      const evidence: string[] = [];
      const requests: RequestRef[] = [];
      const judgedPhases: PhaseAudit[] = [];
      let timeMs = 0;
      for (const s of audits) {
        let judged = false;
        for (const p of s.phases) {
          const found = judgeClass(klass, s, p);
          if (found.judged) {
            judged = true;
            judgedPhases.push(p);
          }
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
      // A class passes only on what its scenarios could have shown: hold expiry needs a hold read
      // after its window closed, and a pay and a cancel in flight across a release window.
      const power = klass.id === "hold-expiry" ? totalPower(phases.map((p) => p.verdict.expiry.power)) : null;
      const unseen = power === null ? [] : unseenExpiryFaults(power);
      const unraced = raceUnreached(klass.id, phases);
      if (failedIn.size === 0 && judgedIn.size > 0 && unraced !== null)
        unjudged.push(
          `${unraced} — the race was not tested: run the generator where it is not starved of CPU, or send more requests at once`,
        );
      if (failedIn.size === 0 && judgedIn.size > 0 && unseen.length > 0)
        unjudged.push(
          ...unseen.map((u) => `could not have seen ${u}`),
          `power: ${describePower(power ?? noPower)}; the expiry scenario lands pays and cancels around the TTL (--scenarios expiry)`,
        );
      // The smallest fault the phases that judged this class could have seen; "none" means a pass
      // could not have failed, so the class is not judged (e.g. no SKU asked for more than it had).
      const own = judgedPhases.length === 0 ? faults : combineFaults(judgedPhases.map((p) => p.verdict.power.smallest));
      const smallest = own.find((f) => f.fault === klass.id);
      if (failedIn.size === 0 && judgedIn.size > 0 && unjudged.length === 0 && smallest?.size === null)
        unjudged.push(
          `${powerlessPrefix}${smallest.text.replace(/^none: /, "")} — scenario ${klass.primary} tests it (--scenarios ${klass.primary})`,
        );
      const verdict: ClassStatus =
        failedIn.size > 0 ? "fail" : judgedIn.size === 0 || unjudged.length > 0 ? "unjudged" : "pass";
      if (verdict === "unjudged" && unjudged.length > 0) evidence.push(...new Set(unjudged));
      else if (verdict === "unjudged" && klass.id === "hold-expiry") {
        evidence.push("no hold TTL declared: give --hold-ttl DURATION (and --expiry-grace) to judge expiry");
      } else if (verdict === "unjudged") {
        evidence.push(unobservedStock(audits));
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
        smallestFault: smallest?.text ?? "none: no scenario judged it",
        power: classPower(klass.id, figures),
      };
    });
}

const powerlessPrefix = "could not have seen a fault: ";

/**
 * Not judged only because the scenarios run could not have shown the class's fault (none asked for
 * more than a SKU had, none sent a cancel…): a property of the scenarios chosen, not of the target.
 */
export const isPowerless = (v: ClassVerdict): boolean =>
  v.verdict === "unjudged" && v.evidence.length > 0 && v.evidence.every((e) => e.startsWith(powerlessPrefix));

/** Why no phase could have shown the class's race (oversell, lost update), or null. */
function raceUnreached(id: ClassId, phases: readonly PhaseAudit[]): string | null {
  if (id === "oversell") return oversellUnreached(phases.flatMap((p) => p.verdict.contention));
  if (id !== "lost-update") return null;
  const observed = phases.filter((p) => p.stockObservation !== "none");
  return observed.length === 0 ? null : lostUpdateUnreached(observed.flatMap((p) => p.verdict.contention));
}

/** Divergences from the reference contract over every scenario, with the scenario named. */
export function allDivergences(audits: readonly ScenarioAudit[]): (Divergence & { readonly scenario: string })[] {
  return audits.flatMap((s) =>
    s.phases.flatMap((p) => p.verdict.divergences.map((d) => ({ ...d, scenario: s.scenario.name }))),
  );
}
