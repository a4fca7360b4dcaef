/**
 * @module
 * The audit as a self-contained HTML page: the class table, divergences, and each scenario's answers and stock.
 */

import { escapeHtml as esc } from "../../../base/report-kit/escape.js";
import { htmlPage } from "../../../base/report-kit/html.js";
import type { AuditReport } from "../../audit/audit.js";
import { describeRef } from "../../audit/classes.js";
import type { PhaseAudit } from "../../audit/scenario-audit.js";
import type { CaseSummary } from "../../scenario/check/index.js";
import { errorTable } from "../run/error-table.js";
import { latencyPercentilesOverTime, throughputOverTime } from "../run/time-views.js";
import { figures, latencyHistogram, latencyOverTime, outcomeColors, outcomesPerRound } from "../run/views.js";
import { interruptedLine, scenarioColumn, verdictWord } from "./text.js";

/** The run report's colours, by the per-case class counts' names. */
const colours: Record<keyof CaseSummary["classes"], string> = {
  ok: outcomeColors.ok,
  rejected: outcomeColors.rejected,
  other4xx: outcomeColors["other-4xx"],
  serverErrors: outcomeColors["5xx"],
  timeouts: outcomeColors.timeout,
  network: outcomeColors.network,
  notSent: outcomeColors["not-sent"],
};
const colour = (k: string) => colours[k as keyof typeof colours] ?? "#000";

const style = `
tr.pass .v{background:#e8f5e9;color:#2e7d32;font-weight:bold}tr.fail .v{background:#ffebee;color:#c62828;font-weight:bold}
tr.unjudged .v{background:#fff8e1;color:#a84300;font-weight:bold}tr.warn{background:#fff8e1}
.badge{display:inline-block;padding:.2rem .6rem;border-radius:4px;color:#fff;font-weight:bold}
.badge.pass{background:#2e7d32}.badge.fail{background:#c62828}.badge.not-judged{background:#b45309}
p.fail,p.interrupted{color:#c62828}.note{color:#555;font-style:italic}
.key{display:inline-block;width:10px;height:10px;margin:0 .2rem 0 .6rem}small{color:#666;font-weight:normal}
svg.bar{display:inline;vertical-align:middle}i.swatch{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}`;

/** A stacked bar of answer classes for one phase, as inline SVG. */
function outcomeBar(classes: Record<string, number>): string {
  const total = Object.values(classes).reduce((a, b) => a + b, 0);
  if (total === 0) return "";
  let x = 0;
  const parts = Object.entries(classes)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => {
      const w = (n / total) * 400;
      const rect = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="16" fill="${colour(k)}"><title>${esc(k)}: ${n}</title></rect>`;
      x += w;
      return rect;
    });
  return `<svg class="bar" width="400" height="16" role="img" aria-label="answers">${parts.join("")}</svg>`;
}

/** One phase: answers, throughput and latency as the run report shows them, final stock. */
function phaseSection(p: PhaseAudit): string {
  const totals: Record<string, number> = {};
  for (const c of p.verdict.cases) for (const [k, n] of Object.entries(c.classes)) totals[k] = (totals[k] ?? 0) + n;
  const stock = p.verdict.stock
    .map(
      (r) =>
        `<tr><td>${r.sku}</td><td>${r.initial}</td><td>${r.reserved}</td><td>${r.restored}</td><td>${r.min === r.max ? r.min : `${r.min}…${r.max}`}</td><td>${r.observed ?? "not observed"}</td></tr>`,
    )
    .join("");
  const flagged = new Set(p.verdict.violations.flatMap((v) => v.requests.map((r) => r.seq)));
  return `<h3>${esc(p.name)} <small>stock observed by: ${esc(p.stockObservation)}</small></h3>
<p>${outcomeBar(totals)} ${Object.entries(totals)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `<span class="key" style="background:${colour(k)}"></span>${esc(k)} ${n}`)
    .join(" ")}</p>
<p>${figures(p.result, p.verdict)}</p>
${errorTable(p.result)}
${throughputOverTime(p.result)}
${latencyPercentilesOverTime(p.result)}
${latencyOverTime(p.result, flagged)}
${latencyHistogram(p.result)}
${p.result.phases.map((_, i) => outcomesPerRound(p.result, i)).join("\n")}
<table><tr><th>SKU</th><th>initial</th><th>reserved</th><th>restored</th><th>expected final</th><th>observed final</th></tr>${stock}</table>
${p.notes.map((n) => `<p class="note">${esc(n)}</p>`).join("")}`;
}

/** A self-contained HTML page: the class table, divergences and, per scenario, answers, latency and final stock. */
export function auditHtml(report: AuditReport, primaries: ReadonlyMap<string, string>): string {
  const rows = report.classes
    .map((c) => {
      const evidence = [...c.evidence, ...c.requests.map((r) => `first: ${describeRef(r)}`)]
        .map((e) => `<div>${esc(e)}</div>`)
        .join("");
      const power = [
        `<div>${esc(c.smallestFault)}</div>`,
        ...c.power.map((f) => `<div><small>${esc(f.name)}:</small> ${esc(f.value)}</div>`),
      ].join("");
      return `<tr class="${c.verdict}"><td>${esc(c.title)}</td><td>${esc(scenarioColumn(c, primaries.get(c.id) ?? ""))}</td><td class="v">${c.verdict.toUpperCase()}</td><td>${evidence}</td><td class="power">${power}</td></tr>`;
    })
    .join("\n");
  const divergences =
    report.divergences.length === 0
      ? "<p>None: every status code as the reference answers.</p>"
      : `<table><tr><th>scenario</th><th>case</th><th>observed</th><th>reference</th><th>count</th></tr>${report.divergences
          .map(
            (d) =>
              `<tr class="warn"><td>${esc(d.scenario)}</td><td>${esc(d.caseName)} (${esc(d.kind)})</td><td>${esc(d.observed)}</td><td>${esc(d.reference)}</td><td>${d.count}</td></tr>`,
          )
          .join("")}</table>`;
  const scenarios = report.scenarios
    .map(
      (
        s,
      ) => `<section><h2>${esc(s.scenario.name)} <small>${s.requests} requests in ${(s.durationMs / 1000).toFixed(1)} s</small></h2>
<p>${esc(s.scenario.description)}</p>${s.error === null ? "" : `<p class="fail">${esc(s.error)}</p>`}${s.phases.map(phaseSection).join("\n")}</section>`,
    )
    .join("\n");
  const stop = interruptedLine(report);
  const body = `
<h1>stockproof audit <span class="badge ${report.verdict}">${verdictWord(report.verdict)}</span></h1>
${stop === null ? "" : `<p class="interrupted"><strong>${esc(stop)}</strong></p>`}
<p>Target <code>${esc(report.target)}</code> · started ${esc(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s<br>
${report.fallback === null ? "" : `<strong>${esc(report.fallback)}</strong><br>`}Stock set by: ${esc(report.stockSetup)}<br>Stock observed by: ${esc(report.stockObservation)}<br>Sizes: scale ${report.scale}, rate traffic ×${report.speed}</p>
<table><tr><th>class</th><th>scenario</th><th>verdict</th><th>evidence</th><th>smallest fault it could have seen · power</th></tr>
${rows}
</table>
<h2>Divergences from the reference contract</h2>
<p>${report.strict ? "They fail the audit (--strict)." : "Warnings: they break no invariant; --strict fails on them."}</p>
${divergences}
${scenarios}
`;
  return htmlPage({ title: `stockproof audit — ${report.target}`, style, body });
}
