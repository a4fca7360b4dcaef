/**
 * @module
 * Summarises a conformance run per operation and status, and prints it as tables and violations.
 */

import type { ConformanceRun, Exchange } from "../../contract/conformance.js";
import type { SentRequest } from "../../contract/exchange.js";
import { groupViolations, type ViolationGroup } from "../../contract/violation-groups.js";

export interface OperationStatusSummary {
  readonly operationId: string;
  readonly status: number;
  readonly exchanges: number;
  readonly violations: number;
}

export interface ConformanceReport {
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly exchanges: number;
  /** Exchanges with at least one violation. */
  readonly violatingExchanges: number;
  readonly byOperation: readonly OperationStatusSummary[];
  /** Every exchange that broke the spec, with the request and the response. */
  readonly violations: readonly Exchange[];
  /** The same violations grouped by operation, status and rule, consequences of earlier failures marked. */
  readonly groups: readonly ViolationGroup[];
  /** Cases answered with a status the reference does not give (not a spec violation by itself). */
  readonly differentFromReference: readonly {
    label: string;
    operationId: string;
    expected: readonly number[];
    got: number;
  }[];
  /** Calls not sent because the server refused their set-up. */
  readonly skipped: ConformanceRun["skipped"];
}

/** Bearer tokens and admin keys are shortened so a report can be attached to a ticket. */
function redact(request: SentRequest): SentRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    const secret = name === "authorization" || name === "x-admin-key";
    headers[name] = secret && value.length > 24 ? `${value.slice(0, 20)}…` : value;
  }
  return { ...request, headers };
}

export function summarize(run: ConformanceRun): ConformanceReport {
  const groups = new Map<string, { operationId: string; status: number; exchanges: number; violations: number }>();
  for (const e of run.exchanges) {
    const key = `${e.operationId} ${e.response.status}`;
    const group = groups.get(key) ?? {
      operationId: e.operationId,
      status: e.response.status,
      exchanges: 0,
      violations: 0,
    };
    group.exchanges += 1;
    if (e.violations.length > 0) group.violations += 1;
    groups.set(key, group);
  }
  const violating = run.exchanges.filter((e) => e.violations.length > 0);
  return {
    target: run.target,
    startedAt: run.startedAt,
    durationMs: run.durationMs,
    exchanges: run.exchanges.length,
    violatingExchanges: violating.length,
    byOperation: [...groups.values()].sort((a, b) => a.operationId.localeCompare(b.operationId) || a.status - b.status),
    violations: violating.map((e) => ({ ...e, request: redact(e.request) })),
    groups: groupViolations(run.exchanges).map((g) => ({
      ...g,
      example: { ...g.example, request: redact(g.example.request) },
    })),
    differentFromReference: run.exchanges
      .filter((e) => !e.expected.includes(e.response.status))
      .map((e) => ({ label: e.label, operationId: e.operationId, expected: e.expected, got: e.response.status })),
    skipped: run.skipped,
  };
}

const clip = (text: string, max = 600) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** The terminal form: a table per operation and status, then each violation in full. */
export function formatReport(report: ConformanceReport): string {
  const lines = [`Spec conformance of ${report.target} (through prism proxy --errors)`, ""];
  lines.push("operation       status  exchanges  violating");
  for (const row of report.byOperation) {
    lines.push(
      `${row.operationId.padEnd(16)}${String(row.status).padEnd(8)}${String(row.exchanges).padStart(9)}  ${String(row.violations).padStart(9)}`,
    );
  }
  lines.push("");
  for (const g of report.groups) {
    const e = g.example;
    const labels = g.labels.length > 3 ? `${g.labels.slice(0, 3).join("; ")}; …` : g.labels.join("; ");
    lines.push(`✗ ${g.count} × ${g.operationId} ${g.status} — ${labels}`);
    if (g.consequenceOf !== null) lines.push(`  consequence of ${g.consequenceOf}, not a failure of its own`);
    lines.push(`  request:  ${e.request.method} ${clip(e.request.path, 200)}${g.count > 1 ? " (one example)" : ""}`);
    for (const [name, value] of Object.entries(e.request.headers)) lines.push(`            ${name}: ${value}`);
    if (e.request.body !== null) lines.push(`            ${clip(e.request.body, 200)}`);
    lines.push(`  response: ${e.response.status} ${e.response.headers["content-type"] ?? ""}`);
    lines.push(
      `            ${clip(typeof e.response.body === "string" ? e.response.body : JSON.stringify(e.response.body))}`,
    );
    if (e.prismAnswer !== null) lines.push(`  prism:    answered ${e.prismAnswer.status} in its place`);
    for (const v of e.violations) lines.push(`  violation (${v.side}, ${v.severity}) ${v.location}: ${v.message}`);
    lines.push("");
  }
  if (report.differentFromReference.length > 0) {
    lines.push("Answered differently from the reference (allowed when the spec declares the status):");
    const counted = new Map<string, { line: string; count: number }>();
    for (const d of report.differentFromReference) {
      const line = `${d.operationId} — ${d.label}: ${d.got} (the reference answers ${d.expected.join(" or ")})`;
      const seen = counted.get(line);
      if (seen === undefined) counted.set(line, { line, count: 1 });
      else seen.count++;
    }
    for (const { line, count } of counted.values()) lines.push(`  ${count > 1 ? `${count} × ` : ""}${line}`);
    lines.push("");
  }
  const consequences = report.groups.filter((g) => g.consequenceOf !== null).reduce((n, g) => n + g.count, 0);
  if (report.skipped.length > 0) {
    lines.push("Not sent, because the server refused what they need (fix that first):");
    for (const s of report.skipped) lines.push(`  ${s.operationId} — ${s.label}: ${s.reason}`);
    lines.push("");
  }
  const verdict =
    report.violatingExchanges === 0
      ? `✓ ${report.exchanges} exchanges, 0 violations`
      : `✗ ${report.violatingExchanges} of ${report.exchanges} exchanges violate the spec, in ${report.groups.length} group${report.groups.length === 1 ? "" : "s"}${consequences > 0 ? ` (${consequences} exchanges only as consequences of earlier failures)` : ""}`;
  lines.push(`${verdict} (${(report.durationMs / 1000).toFixed(1)} s)`);
  return lines.join("\n");
}
