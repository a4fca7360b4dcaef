import type { Verdict } from "./check/index.js";
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
  for (const c of reference.verdict.cases) {
    const other = target.verdict.cases.find((x) => x.name === c.name);
    row(`case ${c.name}`, counts(c.observed), other === undefined ? "-" : counts(other.observed));
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
  row("divergences", String(reference.verdict.divergences.length), String(target.verdict.divergences.length));
  row("p99 latency (ms)", reference.verdict.latency.p99.toFixed(1), target.verdict.latency.p99.toFixed(1));
  row("verdict", reference.verdict.verdict, target.verdict.verdict);
  return rows;
}
