/**
 * @module
 * Two runs of one scenario side by side: per-case outcomes, final stock, error classes, checks and verdict.
 */

import type { Verdict } from "./check/index.js";
import { faultTitles } from "./check/power.js";
import type { RunResult } from "./runner.js";

export interface ComparisonRow {
  readonly what: string;
  readonly reference: string;
  readonly target: string;
  readonly differs: boolean;
}

const counts = (r: Readonly<Record<string, number>>) =>
  Object.entries(r)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "-";

/** Side by side: per-case outcomes, final stock, error classes, checks and verdict of two runs of one scenario. */
export function compareRuns(
  reference: { result: RunResult; verdict: Verdict },
  target: { result: RunResult; verdict: Verdict },
): ComparisonRow[] {
  const rows: ComparisonRow[] = [];
  const row = (what: string, a: string, b: string) => rows.push({ what, reference: a, target: b, differs: a !== b });
  const step = new Map(reference.result.scenario.round.flatMap((s, i) => s.cases.map((c) => [c.name, i] as const)));
  const okInStep = (v: Verdict, i: number | undefined) =>
    v.cases.filter((c) => step.get(c.name) === i).reduce((sum, c) => sum + (c.observed.ok ?? 0), 0);
  for (const c of reference.verdict.cases) {
    const other = target.verdict.cases.find((x) => x.name === c.name);
    const a = counts(c.observed);
    const b = other === undefined ? "-" : counts(other.observed);
    if (!c.raced) row(`case ${c.name}`, a, b);
    else {
      // Who wins a race is not determined; only the number of winners in the group is.
      const i = step.get(c.name);
      rows.push({
        what: `case ${c.name} (raced)`,
        reference: a,
        target: b,
        differs: okInStep(reference.verdict, i) !== okInStep(target.verdict, i),
      });
    }
  }
  for (const s of reference.verdict.stock) {
    const other = target.verdict.stock.find((x) => x.phase === s.phase && x.sku === s.sku);
    row(
      `final stock ${s.sku} (${s.phase})`,
      String(s.observed ?? "not observed"),
      String(other?.observed ?? "not observed"),
    );
  }
  const classes = (v: Verdict) => {
    const total = { "5xx": 0, timeout: 0, "other 4xx": 0 };
    for (const c of v.cases) {
      total["5xx"] += c.classes.serverErrors;
      total.timeout += c.classes.timeouts + c.classes.network;
      total["other 4xx"] += c.classes.other4xx;
    }
    return total;
  };
  const a = classes(reference.verdict);
  const b = classes(target.verdict);
  for (const k of Object.keys(a) as (keyof typeof a)[]) row(k, String(a[k]), String(b[k]));
  for (const c of reference.verdict.checks) {
    const other = target.verdict.checks.find((x) => x.id === c.id);
    row(`check ${c.id}`, c.status, other?.status ?? "-");
  }
  // How small a fault each side could have seen: a run with less power says less, whatever its verdict.
  for (const f of reference.verdict.power.smallest)
    rows.push({
      what: `smallest fault: ${faultTitles[f.fault]}`,
      reference: f.text,
      target: target.verdict.power.smallest.find((x) => x.fault === f.fault)?.text ?? "-",
      differs: false,
    });
  row("divergences", String(reference.verdict.divergences.length), String(target.verdict.divergences.length));
  const p99 = (v: Verdict) => v.latency.p99.toFixed(1);
  rows.push({
    what: "p99 latency (ms)",
    reference: p99(reference.verdict),
    target: p99(target.verdict),
    differs: false,
  });
  row("verdict", reference.verdict.verdict, target.verdict.verdict);
  return rows;
}
