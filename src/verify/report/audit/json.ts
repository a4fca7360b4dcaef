/**
 * @module
 * The audit as JSON: a verdict per class with evidence, divergences, and the checker's findings per phase.
 */

import type { AuditReport } from "../../audit/audit.js";

/** The audit as JSON: verdict per class with evidence, divergences, and per scenario and phase the checker's findings. */
export function auditJson(report: AuditReport): unknown {
  return {
    tool: "stockproof audit",
    target: report.target,
    startedAt: report.startedAt,
    durationMs: Math.round(report.durationMs),
    verdict: report.verdict,
    interrupted: report.interrupted ?? null,
    strict: report.strict,
    stockSetup: report.stockSetup,
    fallback: report.fallback,
    stockObservation: report.stockObservation,
    scale: report.scale,
    speed: report.speed,
    classes: report.classes,
    divergences: report.divergences,
    scenarios: report.scenarios.map((s) => ({
      name: s.scenario.name,
      source: s.scenario.source,
      durationMs: Math.round(s.durationMs),
      requests: s.requests,
      error: s.error,
      phases: s.phases.map((p) => ({
        name: p.name,
        runId: p.result.runId,
        stockObservation: p.stockObservation,
        notes: p.notes,
        verdict: p.verdict.verdict,
        checks: p.verdict.checks,
        violations: p.verdict.violations,
        divergences: p.verdict.divergences,
        stock: p.verdict.stock,
        cases: p.verdict.cases,
        indeterminate: p.verdict.indeterminate,
        latency: p.verdict.latency,
      })),
    })),
  };
}
