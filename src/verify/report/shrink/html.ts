/**
 * @module
 * The shrink as a self-contained HTML page, with the failing interleaving drawn as a timeline.
 */

import { escapeHtml } from "../../../base/report-kit/escape.js";
import { cell, htmlPage } from "../../../base/report-kit/html.js";
import { type Interleaving, interleavingOf } from "../../shrink/interleaving.js";
import { shrinkSteps } from "../../shrink/repro-file.js";
import type { ShrinkOutcome } from "../../shrink/search.js";
import { describeSize } from "../../shrink/size.js";
import { failingRun, headline, type ReportContext } from "./text.js";

const outcomeColour = (status: number | null) =>
  status === null ? "#b23" : status >= 500 ? "#b23" : status >= 400 ? "#c80" : "#2a7";

/**
 * The interleaving as a timeline: one row a request, a bar from its send to its answer, so the
 * overlap that made the race is what the eye sees first.
 */
export function timelineSvg(interleaving: Interleaving): string {
  const rows = interleaving.requests;
  const end = Math.max(1, ...rows.map((r) => r.answeredMs ?? r.sentMs ?? 0));
  const [left, right, top, rowH] = [230, 20, 24, 22];
  const width = 900;
  const height = top + rows.length * rowH + 28;
  const x = (ms: number) => left + (ms / end) * (width - left - right);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * end);
  const parts = ticks.map(
    (t) =>
      `<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${height - 24}" class="grid"/><text x="${x(t)}" y="${height - 8}" text-anchor="middle">${t.toFixed(1)} ms</text>`,
  );
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const from = x(r.sentMs ?? 0);
    const to = Math.max(from + 2, x(r.answeredMs ?? end));
    const label = `${r.caseName} · ${r.kind} ${r.paymentOrderId.slice(-14)}`;
    parts.push(
      `<text x="${left - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(label)}</text>`,
      `<rect x="${from}" y="${y + 4}" width="${to - from}" height="${rowH - 8}" rx="3" fill="${outcomeColour(r.status)}"><title>${escapeHtml(`${r.kind} ${r.paymentOrderId}: sent ${r.sentMs ?? "—"} ms, answered ${r.answeredMs ?? "—"} ms → ${r.status ?? "no answer"} ${r.outcome}`)}</title></rect>`,
      `<text x="${Math.min(to + 4, width - right - 80)}" y="${y + 14}">${escapeHtml(`${r.status ?? ""} ${r.outcome}`)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="timeline of the failing requests" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}"><title>timeline of the failing requests</title>${parts.join("")}</svg>`;
}

function interleavingHtml(interleaving: Interleaving): string {
  const requests = interleaving.requests
    .map(
      (r) =>
        `<tr>${cell(r.sentMs ?? "—", true)}${cell(r.answeredMs ?? "—", true)}${cell(r.caseName)}${cell(`${r.kind} ${r.paymentOrderId}${r.lines === "" ? "" : ` [${r.lines}]`}`)}${cell(`${r.status ?? "no answer"} ${r.outcome}`)}</tr>`,
    )
    .join("");
  const stock = interleaving.stock
    .map(
      (s) =>
        `<tr>${cell(s.sku)}${cell(s.before ?? "not observed", true)}${cell(s.after ?? "not observed", true)}${cell(s.allowed, true)}</tr>`,
    )
    .join("");
  return [
    `<h2>The failing interleaving</h2>`,
    timelineSvg(interleaving),
    `<table><tr><th>sent (ms)</th><th>answered (ms)</th><th>case</th><th>request</th><th>answer</th></tr>${requests}</table>`,
    interleaving.omitted > 0 ? `<p class="muted">${interleaving.omitted} more requests not listed.</p>` : "",
    `<h2>Stock per SKU</h2><table><tr><th>SKU</th><th>before</th><th>after</th><th>expected from the answers</th></tr>${stock}</table>`,
    interleaving.evidence.length === 0
      ? ""
      : `<ul>${interleaving.evidence.map((e) => `<li>${escapeHtml(e)}</li>`).join("")}</ul>`,
  ].join("");
}

/** A self-contained HTML page of a shrink: what was found, how it shrank, the failing interleaving. */
export function shrinkHtml(outcome: ShrinkOutcome, context: ReportContext, replay: string | null): string {
  const body = [
    `<h1>stockproof shrink</h1>`,
    `<p>${escapeHtml(headline(outcome, context))}</p>`,
    `<p class="muted">target ${escapeHtml(context.target)} · scenario ${escapeHtml(context.scenario)}</p>`,
  ];
  if (outcome.kind === "shrunk") {
    body.push(
      `<p>${escapeHtml(describeSize(outcome.original.size))} → <b>${escapeHtml(describeSize(outcome.result.size))}</b></p>`,
      replay === null ? "" : `<p>Replay: <code>${escapeHtml(replay)}</code></p>`,
      `<h2>How it shrank</h2><ol>${shrinkSteps(outcome)
        .map((s) => `<li>${escapeHtml(s)}</li>`)
        .join("")}</ol>`,
    );
  }
  const run = failingRun(outcome);
  if (run !== null) body.push(interleavingHtml(interleavingOf(run)));
  return htmlPage({ title: `stockproof shrink — ${context.scenario}`, body: body.join("") });
}
