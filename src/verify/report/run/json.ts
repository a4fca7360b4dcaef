/**
 * @module
 * A run's machine-readable report: verdict, checks, per-case counts, final stock and the timeline.
 */

import type { Verdict } from "../../scenario/check/index.js";
import type { RunResult } from "../../scenario/runner.js";

const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/** The machine-readable report: verdict, checks, per-case counts under `cases.<name>`, final stock, timeline. */
export function jsonReport(result: RunResult, verdict: Verdict) {
  return { ...jsonReportHead(result, verdict), timeline: [...timelineOf(result)] };
}

export type JsonReport = ReturnType<typeof jsonReport>;

/** Everything of the report but the timeline. */
export function jsonReportHead(result: RunResult, verdict: Verdict) {
  return {
    verdict: verdict.verdict,
    notJudged: verdict.notJudged,
    mismatches: verdict.mismatches,
    scenario: { name: result.scenario.name, description: result.scenario.description, source: result.scenario.source },
    target: result.target,
    runId: result.runId,
    startedAt: result.startedAt,
    wallMs: round2(result.wallMs),
    speed: result.speed,
    requests: verdict.requests,
    rps: round2(verdict.rps),
    latency: verdict.latency,
    stockObservation: result.stockObservation,
    setupError: result.setupError,
    timedOut: result.timedOut,
    notes: result.notes,
    checks: verdict.checks,
    violations: verdict.violations,
    divergences: verdict.divergences,
    indeterminate: verdict.indeterminate,
    thresholds: verdict.thresholds,
    cases: Object.fromEntries(verdict.cases.map(({ name, ...rest }) => [name, rest])),
    finalStock: verdict.stock,
    // What the verdict could see: races reached, expiry windows crossed, units left unobservable.
    power: {
      contention: verdict.contention,
      expiry: verdict.expiry.power,
      unobservable: verdict.power.unobservable,
      smallestFaults: verdict.power.smallest,
    },
    phases: result.phases.map((p) => ({
      name: p.name,
      traffic: p.traffic,
      spreadMs: p.spreadMs,
      startedAt: round2(p.startedAt),
      durationMs: round2(p.endedAt - p.startedAt),
      before: p.before,
      after: p.after,
    })),
  };
}

/** One timeline entry per planned request, in phase and plan order, made as it is read. */
export function* timelineOf(result: RunResult) {
  for (const p of result.phases)
    for (const o of p.observations)
      yield {
        seq: o.request.seq,
        phase: p.name,
        round: o.request.round,
        case: o.request.caseName,
        kind: o.request.kind,
        paymentOrderId: o.request.paymentOrderId,
        user: o.request.user.username,
        sentAt: round2(o.sentAt),
        endedAt: round2(o.endedAt),
        latencyMs: o.sentAt === null || o.endedAt === null ? null : round2(o.endedAt - o.sentAt),
        status: o.status,
        outcome: o.outcome,
        class: o.klass,
        model: result.model.expected[o.request.seq]?.outcome ?? null,
        ...(o.detail === null ? {} : { detail: o.detail }),
      };
}
