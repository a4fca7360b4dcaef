/**
 * @module
 * A run's self-contained HTML report: its sections from title to notes, also used for one side of compare.
 */

import { escapeHtml as esc } from "../../../base/report-kit/escape.js";
import { cell, htmlPage } from "../../../base/report-kit/html.js";
import { legend } from "../../../base/report-kit/svg.js";
import type { Verdict } from "../../scenario/check/index.js";
import { powerLines } from "../../scenario/check/power.js";
import type { RunResult } from "../../scenario/runner.js";
import { errorTable } from "./error-table.js";
import { latencyPercentilesOverTime, throughputOverTime } from "./time-views.js";
import {
  figures,
  latencyHistogram,
  latencyOverTime,
  outcomeClasses,
  outcomeColors,
  outcomesPerRound,
  stockOverTime,
} from "./views.js";
import { violationsShown } from "./violations-shown.js";

/** Violations the page lists; the rest are in --json. */
const htmlViolations = 200;

/** The verdict badges and highlighted rows; the page, tables and charts come from the kit. */
const style = `
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:700}
.verdict.pass{background:#2e7d32}.verdict.fail{background:#c62828}.verdict.warn{background:#f9a825;color:#222}
.verdict.skip{background:#616161}.verdict.not-judged{background:#b45309}
tr.violation td{background:#ffebee}tr.divergence td{background:#fff8e1}tr.mismatch td{background:#fff3e0}`;

/** A self-contained HTML report: inline CSS and SVG, no scripts or external assets. */
export function htmlReport(result: RunResult, verdict: Verdict): string {
  return htmlPage({
    title: `stockproof · ${result.scenario.name} · ${verdict.verdict}`,
    style: reportStyle,
    body: reportSections(result, verdict).join("\n"),
  });
}

/** The report's rules: badges, highlighted rows, the error table's swatches. */
export const reportStyle = `${style}
i.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}p.oversold{color:#c62828;font-weight:700}
p.cause{background:#fff8e1;border-left:4px solid #b45309;padding:6px 10px}`;

/** The report's sections, from its title to its notes: a page of their own, or one side of compare's. */
export function reportSections(result: RunResult, verdict: Verdict, heading = 1): string[] {
  const h = (level: number) => `h${Math.min(6, level + heading - 1)}`;
  const flagged = new Set(verdict.violations.flatMap((v) => v.requests.map((r) => r.seq)));
  const counts = (r: Readonly<Record<string, number>>) =>
    Object.entries(r)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ") || "-";
  const sections: string[] = [];
  sections.push(
    `<h1>${esc(result.scenario.name)} <span class="verdict ${verdict.verdict}"${heading === 1 ? ' id="verdict"' : ""}>${verdict.verdict.replace("-", " ").toUpperCase()}</span></h1>`,
    `<p class="muted">${esc(result.scenario.description)}<br>target <code>${esc(result.target)}</code> · run ${esc(result.runId)} · ${esc(result.startedAt)} · speed ×${result.speed}</p>`,
    `<p>${figures(result, verdict)}</p>`,
  );
  // Why the run could not be judged (or was stopped), and the fix, before any table: as the terminal.
  if (verdict.notJudged !== null)
    sections.push(
      `<p class="cause"><strong>${verdict.verdict === "not-judged" ? "NOT JUDGED" : result.interrupted != null ? "INTERRUPTED" : "TARGET STOPPED"}: ${esc(verdict.notJudged.reason)}</strong><br>fix: ${esc(verdict.notJudged.fix)}</p>`,
    );
  sections.push(
    "<h2>Checks</h2><table><tr><th>check</th><th>status</th><th>summary</th></tr>",
    ...verdict.checks.map(
      (c) =>
        `<tr><td>${esc(c.title)}</td><td><span class="verdict ${c.status}">${c.status}</span></td>${cell(c.summary)}</tr>`,
    ),
    "</table>",
  );
  sections.push(
    "<h2>Power</h2><table><tr><th>what the verdict could see</th><th></th></tr>",
    ...powerLines(verdict).map((l) => `<tr>${cell(l.name)}${cell(l.value)}</tr>`),
    "</table>",
  );
  sections.push(
    "<h2>Cases: model vs observed</h2><table><tr><th>case</th><th>ok</th><th>rejected</th><th>other 4xx</th><th>5xx</th><th>timeout</th><th>p50 ms</th><th>p90 ms</th><th>p99 ms</th><th>max ms</th><th>observed</th><th>model</th></tr>",
    ...verdict.cases.map(
      (c) =>
        `<tr${c.matchesModel ? "" : ' class="mismatch"'}>${cell(c.name)}${cell(c.classes.ok, true)}${cell(c.classes.rejected, true)}${cell(c.classes.other4xx, true)}${cell(c.classes.serverErrors, true)}${cell(c.classes.timeouts + c.classes.network, true)}${cell(c.latency.p50.toFixed(1), true)}${cell(c.latency.p90.toFixed(1), true)}${cell(c.latency.p99.toFixed(1), true)}${cell(c.latency.max.toFixed(1), true)}${cell(counts(c.observed))}${cell(`${counts(c.model)}${c.raced ? " (raced: winner order-dependent)" : ""}`)}</tr>`,
    ),
    "</table>",
  );
  sections.push(
    "<h2>Final stock</h2><table><tr><th>phase</th><th>SKU</th><th>initial</th><th>reserved</th><th>restored</th><th>paid</th><th>conservation</th><th>model</th><th>observed</th></tr>",
    ...verdict.stock.map((s) => {
      const off = s.observed !== null && (s.observed < s.min || s.observed > s.max);
      return `<tr${off ? ' class="violation"' : ""}>${cell(s.phase)}${cell(s.sku, true)}${cell(s.initial, true)}${cell(s.reserved, true)}${cell(s.restored, true)}${cell(s.paid, true)}${cell(s.min === s.max ? s.min : `${s.min}…${s.max}`, true)}${cell(s.model, true)}${cell(s.observed ?? "not observed", true)}</tr>`;
    }),
    "</table>",
  );
  sections.push("<h2>Errors by status and code</h2>", errorTable(result));
  sections.push("<h2>Throughput over time</h2>", throughputOverTime(result));
  sections.push("<h2>Latency percentiles over time</h2>", latencyPercentilesOverTime(result));
  sections.push("<h2>Latency over time</h2>", latencyOverTime(result, flagged));
  sections.push("<h2>Latency histogram</h2>", latencyHistogram(result));
  sections.push("<h2>Stock over time</h2>", stockOverTime(result));
  sections.push(
    "<h2>Outcomes per round</h2>",
    ...result.phases.map((_, i) => outcomesPerRound(result, i)),
    legend(outcomeClasses.map((k) => [k, outcomeColors[k]])),
  );
  sections.push(`<h2>Violations (${verdict.violations.length})</h2>`);
  if (verdict.violations.length === 0) sections.push("<p>None.</p>");
  else
    sections.push(
      "<table><tr><th>check</th><th>phase</th><th>SKU</th><th>what</th><th>expected</th><th>observed</th><th>requests</th></tr>",
      ...violationsShown(verdict.violations, htmlViolations).map(
        (v) =>
          `<tr class="violation">${cell(v.check)}${cell(v.phase)}${cell(v.sku ?? "-")}${cell(v.message)}${cell(v.expected)}${cell(v.observed)}${cell(
            v.requests
              .slice(0, 4)
              .map((r) => `#${r.seq} ${r.paymentOrderId} → ${r.status ?? "-"} ${r.outcome}`)
              .join("; "),
          )}</tr>`,
      ),
      "</table>",
      ...(verdict.violations.length > htmlViolations
        ? [`<p>… and ${verdict.violations.length - htmlViolations} more (see --json)</p>`]
        : []),
    );
  sections.push(`<h2>Divergences from the reference contract (${verdict.divergences.length})</h2>`);
  if (verdict.divergences.length === 0) sections.push("<p>None.</p>");
  else
    sections.push(
      "<table><tr><th>case</th><th>count</th><th>reference</th><th>observed</th><th>examples</th></tr>",
      ...verdict.divergences.map(
        (d) =>
          `<tr class="divergence">${cell(d.caseName)}${cell(d.count, true)}${cell(d.reference)}${cell(d.observed)}${cell(d.examples.map((r) => r.paymentOrderId).join(", "))}</tr>`,
      ),
      "</table>",
    );
  if (result.notes.length > 0) sections.push("<h2>Notes</h2>", ...result.notes.map((n) => `<p>${esc(n)}</p>`));
  // Headings one level down when the sections are one side of a page.
  return sections.map((html) =>
    html.replace(/<(\/?)h([12])>/g, (_, slash: string, n: string) => `<${slash}${h(Number(n))}>`),
  );
}
