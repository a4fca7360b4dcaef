/**
 * @module
 * The audit's terminal table: one row per failure class, its evidence wrapped under it.
 */

import { wrapWords } from "../../../base/report-kit/wrap.js";
import type { AuditReport } from "../../audit/audit.js";
import { type ClassVerdict, describeRef } from "../../audit/classes.js";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The scenario column: where it failed, else the scenario made for it and how many others judged it. */
export function scenarioColumn(c: ClassVerdict, primary: string): string {
  if (c.failedIn.length > 0) return c.failedIn.join(", ");
  if (c.judgedIn.length === 0) return "—";
  const head = c.judgedIn.includes(primary) ? primary : (c.judgedIn[0] as string);
  return c.judgedIn.length > 1 ? `${head} +${c.judgedIn.length - 1}` : head;
}

/** The first line of an interrupted audit's reports: what stopped it and what it did not run. */
export function interruptedLine(report: AuditReport): string | null {
  const stop = report.interrupted;
  if (stop == null) return null;
  return `INTERRUPTED (${stop.signal}): no request was sent after it${stop.cut.length === 0 ? "" : `; not run or cut short: ${stop.cut.join(", ")}`} — the classes are judged on what was sent, and a class no scenario could judge is UNJUDGED`;
}

/** The smallest fault the class could have seen, in its own words. */
export const powerText = (c: ClassVerdict): string[] => [`smallest fault: ${c.smallestFault}`];

/** The figures the classes rest on, once for the table (each class's own are in JSON, JUnit and HTML). */
function powerFigures(report: AuditReport): string[] {
  const figures = new Map(report.classes.flatMap((c) => c.power.map((f) => [f.key, f] as const)));
  return figures.size === 0 ? [] : ["Power:", ...[...figures.values()].map((f) => `  ${f.name}: ${f.value}`), ""];
}

/** The verdict as a word: NOT JUDGED rather than NOT-JUDGED. */
export const verdictWord = (verdict: AuditReport["verdict"]) => verdict.replace("-", " ").toUpperCase();

/** The terminal table: one row per failure class, evidence wrapped under it. */
export function formatAuditText(report: AuditReport, primaries: ReadonlyMap<string, string>, width = 120): string {
  const out: string[] = [];
  const stop = interruptedLine(report);
  if (stop !== null) out.push(stop, "");
  if (report.fallback !== null) out.push(report.fallback, "");
  out.push(`stockproof audit — ${report.target}`);
  out.push(`stock set by: ${report.stockSetup}`);
  out.push(`stock observed by: ${report.stockObservation}`);
  out.push(`sizes: scale ${report.scale}, rate traffic ×${report.speed}`);
  out.push("");
  const scenarioWidth = Math.min(
    40,
    Math.max(10, ...report.classes.map((c) => scenarioColumn(c, primaries.get(c.id) ?? "").length + 1)),
  );
  const cols = [30, scenarioWidth, 9];
  const evidenceWidth = Math.max(40, width - cols.reduce((a, b) => a + b + 2, 0));
  const pad = (s: string, n: number) => (s.length >= n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
  const indent = " ".repeat(cols.reduce((a, b) => a + b + 2, 0));
  out.push(
    `${pad("CLASS", cols[0] as number)}  ${pad("SCENARIO", cols[1] as number)}  ${pad("VERDICT", cols[2] as number)}  EVIDENCE`,
  );
  for (const c of report.classes) {
    const evidence = [...c.evidence, ...c.requests.map((r) => `first: ${describeRef(r)}`), ...powerText(c)];
    const lines = evidence.flatMap((e) => wrapWords(e, evidenceWidth, " "));
    const head = `${pad(c.title, cols[0] as number)}  ${pad(scenarioColumn(c, primaries.get(c.id) ?? ""), cols[1] as number)}  ${pad(c.verdict.toUpperCase(), cols[2] as number)}  `;
    out.push(`${head}${lines[0] ?? ""}`);
    for (const line of lines.slice(1)) out.push(`${indent}${line}`);
  }
  out.push("");
  out.push(...powerFigures(report));
  if (report.divergences.length > 0) {
    out.push(
      `Divergences from the reference contract (${report.strict ? "failing: --strict" : "warnings; --strict fails on them"}):`,
    );
    for (const d of report.divergences) {
      out.push(
        `  ${d.scenario} · ${d.caseName} (${d.kind}): ${d.observed} ×${d.count}, the reference answers ${d.reference}`,
      );
    }
    out.push("");
  }
  out.push("Scenarios:");
  for (const s of report.scenarios) {
    const observed = [...new Set(s.phases.map((p) => p.stockObservation))].join(", ");
    out.push(
      `  ${s.scenario.name.padEnd(14)} ${String(s.requests).padStart(6)} requests  ${seconds(s.durationMs).padStart(7)}  stock: ${observed || "—"}${s.error === null ? "" : `  ERROR: ${s.error}`}`,
    );
    for (const note of s.phases.flatMap((p) => p.notes)) out.push(`      note: ${note}`);
  }
  const failed = report.classes.filter((c) => c.verdict !== "pass");
  out.push("");
  out.push(
    `Verdict: ${verdictWord(report.verdict)}${report.interrupted == null ? "" : ` (interrupted by ${report.interrupted.signal})`} — ${report.classes.length - failed.length} of ${report.classes.length} classes pass` +
      `${failed.length > 0 ? ` (${failed.map((c) => `${c.title}: ${c.verdict}`).join("; ")})` : ""}` +
      `${report.strict && report.divergences.length > 0 ? `; ${report.divergences.length} divergences under --strict` : ""}` +
      ` in ${seconds(report.durationMs)}`,
  );
  return `${out.join("\n")}\n`;
}
