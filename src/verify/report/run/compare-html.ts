/**
 * @module
 * compare's HTML page: the side-by-side table, then the target's and the reference's whole reports.
 */

import { escapeHtml as esc } from "../../../base/report-kit/escape.js";
import { cell, htmlPage } from "../../../base/report-kit/html.js";
import type { Verdict } from "../../scenario/check/index.js";
import type { ComparisonRow } from "../../scenario/compare.js";
import type { RunResult } from "../../scenario/runner.js";
import { reportSections, reportStyle } from "./html.js";

type Side = { readonly result: RunResult; readonly verdict: Verdict };

const badge = (v: Verdict["verdict"]) => `<span class="verdict ${v}">${v.replace("-", " ").toUpperCase()}</span>`;

/**
 * compare's page: the side-by-side table (rows that differ marked), then each side's whole report —
 * the target first, the reference after it — so the page holds both runs, not the target alone.
 */
export function compareHtml(reference: Side, target: Side, rows: readonly ComparisonRow[]): string {
  const table = rows
    .map(
      (r) =>
        `<tr${r.differs ? ' class="divergence"' : ""}>${cell(r.what)}${cell(r.reference)}${cell(r.target)}${cell(r.differs ? "≠" : "")}</tr>`,
    )
    .join("");
  const body = [
    `<h1>compare ${esc(target.result.scenario.name)} <span id="verdict">${badge(target.verdict.verdict)}</span></h1>`,
    `<p class="muted">reference <code>${esc(reference.result.target)}</code> ${badge(reference.verdict.verdict)} · target <code>${esc(target.result.target)}</code> ${badge(target.verdict.verdict)}</p>`,
    "<h2>Side by side</h2>",
    `<table class="side-by-side"><tr><th></th><th>reference</th><th>target</th><th></th></tr>${table}</table>`,
    '<section id="target"><h2>Target</h2>',
    ...reportSections(target.result, target.verdict, 3),
    '</section><section id="reference"><h2>Reference</h2>',
    ...reportSections(reference.result, reference.verdict, 3),
    "</section>",
  ].join("\n");
  return htmlPage({ title: `stockproof compare · ${target.result.scenario.name}`, style: reportStyle, body });
}
