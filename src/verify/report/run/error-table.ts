/**
 * @module
 * The report's error table: every non-2xx answer by status and code, with its count and share.
 */

import { escapeHtml as esc } from "../../../base/report-kit/escape.js";
import { cell } from "../../../base/report-kit/html.js";
import type { RunResult } from "../../scenario/runner.js";
import { outcomeColors } from "./views.js";

/**
 * Every answer that was not a 2xx, by status and code, with its count and its share of all the
 * run's requests: refusals the model may expect (rejected) beside 5xx, timeouts and requests never
 * sent, as a load-test report's error table lists them.
 */
export function errorTable(result: RunResult): string {
  const all = result.phases.flatMap((p) => p.observations);
  const rows = new Map<string, { status: number | null; outcome: string; klass: string; count: number }>();
  for (const o of all) {
    if (o.klass === "ok") continue;
    const key = `${o.status ?? "-"} ${o.outcome} ${o.klass}`;
    const row = rows.get(key) ?? { status: o.status, outcome: o.outcome, klass: o.klass, count: 0 };
    row.count++;
    rows.set(key, row);
  }
  if (rows.size === 0) return `<p>None: every one of the ${all.length} requests was answered 2xx.</p>`;
  const total = [...rows.values()].reduce((n, r) => n + r.count, 0);
  const share = (n: number) => `${((n / Math.max(1, all.length)) * 100).toFixed(n === all.length ? 0 : 1)} %`;
  const body = [...rows.values()]
    .sort((a, b) => b.count - a.count || a.outcome.localeCompare(b.outcome))
    .map(
      (r) =>
        `<tr>${cell(r.status ?? "no answer")}${cell(r.outcome)}<td><i class="swatch" style="background:${outcomeColors[r.klass as keyof typeof outcomeColors] ?? "#000"}"></i>${esc(r.klass)}</td>${cell(r.count, true)}${cell(share(r.count), true)}</tr>`,
    )
    .join("");
  return `<p>${total} of ${all.length} requests (${share(total)}) were not answered 2xx; "rejected" are refusals the stock model may expect.</p>
<table class="errors"><tr><th>status</th><th>code</th><th>class</th><th>count</th><th>% of requests</th></tr>${body}</table>`;
}
