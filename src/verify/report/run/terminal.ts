/**
 * @module
 * The summary printed after a run: cases, final stock, checks, violations, divergences and verdict.
 */

import type { Verdict } from "../../scenario/check/index.js";
import { powerLines } from "../../scenario/check/power.js";
import { trafficMs } from "../../scenario/run-result.js";
import type { RunResult } from "../../scenario/runner.js";
import { violationsShown } from "./violations-shown.js";

type Paint = (style: "red" | "green" | "yellow" | "bold" | "dim", text: string) => string;

export const plain: Paint = (_style, text) => text;
export const ansi: Paint = (style, text) => {
  const codes = { red: [31, 39], green: [32, 39], yellow: [33, 39], bold: [1, 22], dim: [2, 22] } as const;
  const [open, close] = codes[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
};

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

/** Left-aligned columns, the first row a header. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
}

const counts = (record: Readonly<Record<string, number>>) =>
  Object.entries(record)
    .sort(([a], [b]) => (a === "ok" ? -1 : b === "ok" ? 1 : a.localeCompare(b)))
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "-";

/** The cause first: a run that could not be judged says why and what to do before any table. */
function causeLines(result: RunResult, verdict: Verdict, paint: Paint): string[] {
  if (verdict.notJudged === null) return [];
  const lines: string[] = [];
  const head =
    verdict.verdict === "not-judged" ? "NOT JUDGED" : result.interrupted != null ? "INTERRUPTED" : "TARGET STOPPED";
  if (verdict.mismatches.length > 0) {
    lines.push(paint("yellow", paint("bold", `${head}: the target does not match the scenario`)));
    for (const m of verdict.mismatches) lines.push(paint("yellow", `  ${m.message}`), `    fix: ${m.fix}`);
  } else
    lines.push(
      paint("yellow", paint("bold", `${head}: ${verdict.notJudged.reason}`)),
      `  fix: ${verdict.notJudged.fix}`,
    );
  lines.push("");
  return lines;
}

/** The run's title, its traffic and latency in one line, and one line per phase. */
function headLines(result: RunResult, verdict: Verdict, paint: Paint): string[] {
  const lines: string[] = [];
  lines.push(paint("bold", `${result.scenario.name} → ${result.target}`));
  lines.push(
    `${verdict.requests} requests in ${(trafficMs(result) / 1000).toFixed(1)} s · ${verdict.rps.toFixed(0)} req/s · latency p50 ${ms(verdict.latency.p50)} ms, p90 ${ms(verdict.latency.p90)} ms, p99 ${ms(verdict.latency.p99)} ms, max ${ms(verdict.latency.max)} ms`,
  );
  for (const phase of result.phases) {
    const t = phase.traffic;
    const shape =
      t.shape === "rate"
        ? `rate, ${t.rounds} rounds over ${((phase.spreadMs ?? 0) / 1000).toFixed(1)} s${t.maxInFlight === null ? "" : `, ≤${t.maxInFlight} in flight`}`
        : `${t.shape}, ${t.rounds} rounds`;
    lines.push(
      paint(
        "dim",
        `  phase "${phase.name}": ${shape}, took ${((phase.endedAt - phase.startedAt) / 1000).toFixed(2)} s`,
      ),
    );
  }
  return lines;
}

/** Per case: answers by class, latency, and the observed against the model's counts. */
function caseTable(verdict: Verdict): string[] {
  return table([
    [
      "case",
      "ok",
      "rejected",
      "other 4xx",
      "5xx",
      "timeout",
      "network",
      "p50",
      "p90",
      "p99",
      "max",
      "observed",
      "model",
    ],
    ...verdict.cases.map((c) => [
      c.name,
      String(c.classes.ok),
      String(c.classes.rejected),
      String(c.classes.other4xx),
      String(c.classes.serverErrors),
      String(c.classes.timeouts),
      String(c.classes.network),
      ms(c.latency.p50),
      ms(c.latency.p90),
      ms(c.latency.p99),
      ms(c.latency.max),
      counts(c.observed),
      `${counts(c.model)}${c.matchesModel ? "" : c.raced ? " (race)" : " ≠"}`,
    ]),
  ]);
}

/** Per phase and SKU: the stock's movements, its conservation bounds, the model's and the observed final stock. */
function stockTable(verdict: Verdict): string[] {
  return table([
    ["phase", "SKU", "initial", "reserved", "restored", "paid", "conservation", "model", "observed"],
    ...verdict.stock.map((s) => [
      s.phase,
      String(s.sku),
      String(s.initial),
      String(s.reserved),
      String(s.restored),
      String(s.paid),
      s.min === s.max ? String(s.min) : `${s.min}…${s.max}`,
      String(s.model),
      s.observed === null ? "not observed" : String(s.observed),
    ]),
  ]);
}

/** One line per check, then what the run could have seen. */
function checkLines(verdict: Verdict, paint: Paint): string[] {
  const lines: string[] = [];
  const mark = {
    pass: paint("green", "PASS"),
    fail: paint("red", "FAIL"),
    warn: paint("yellow", "WARN"),
    skip: paint("dim", "NOT JUDGED"),
  };
  for (const c of verdict.checks) lines.push(`${mark[c.status]}  ${c.title}: ${c.summary}`);
  lines.push("", paint("bold", "Power (what the run could have seen):"));
  for (const l of powerLines(verdict)) lines.push(`  ${l.name}: ${l.value}`);
  return lines;
}

/** Up to 20 violations (every check's first among them), each with up to four of its requests. */
function violationLines(verdict: Verdict, paint: Paint): string[] {
  if (verdict.violations.length === 0) return [];
  const lines: string[] = ["", paint("bold", `Violations (${verdict.violations.length}):`)];
  const shown = violationsShown(verdict.violations, 20);
  for (const v of shown) {
    lines.push(paint("red", `  [${v.check}] ${v.message}`));
    lines.push(`    expected ${v.expected}; observed ${v.observed}`);
    for (const r of v.requests.slice(0, 4)) {
      lines.push(
        paint(
          "dim",
          `    #${r.seq} ${r.caseName} round ${r.round} ${r.paymentOrderId} → ${r.status ?? "-"} ${r.outcome} (${r.sentAt ?? "-"}–${r.endedAt ?? "-"} ms)`,
        ),
      );
    }
  }
  const hidden = verdict.violations.length - shown.length;
  if (hidden > 0) lines.push(`  … and ${hidden} more (see --json)`);
  return lines;
}

/** Where the target answered otherwise than the reference would have, and the answers that could not be classed. */
function divergenceLines(verdict: Verdict, paint: Paint): string[] {
  const lines: string[] = [];
  if (verdict.divergences.length > 0) {
    lines.push("", paint("bold", "Divergences from the reference contract (no invariant broken):"));
    for (const d of verdict.divergences) {
      lines.push(
        paint("yellow", `  ${d.caseName} (${d.kind}) ×${d.count}: reference ${d.reference}, observed ${d.observed}`),
      );
    }
  }
  if (verdict.indeterminate.count > 0) {
    lines.push("", paint("bold", "Indeterminate answers:"));
    for (const r of verdict.indeterminate.examples.slice(0, 5)) {
      lines.push(`  #${r.seq} ${r.caseName} ${r.paymentOrderId} → ${r.status ?? "no answer"} ${r.outcome}`);
    }
  }
  return lines;
}

function finalLine(result: RunResult, verdict: Verdict, paint: Paint): string {
  const final = {
    pass: paint("green", paint("bold", "PASS")),
    fail: paint("red", paint("bold", "FAIL")),
    "not-judged": paint(
      "yellow",
      paint(
        "bold",
        result.interrupted == null ? "NOT JUDGED (exit 3)" : `NOT JUDGED (interrupted by ${result.interrupted})`,
      ),
    ),
  };
  return final[verdict.verdict];
}

/** The summary printed after a run: per case, final stock, checks, violations, divergences, verdict. */
export function terminalReport(result: RunResult, verdict: Verdict, paint: Paint = plain): string {
  return [
    ...causeLines(result, verdict, paint),
    ...headLines(result, verdict, paint),
    "",
    ...caseTable(verdict),
    "",
    ...stockTable(verdict),
    "",
    ...checkLines(verdict, paint),
    ...violationLines(verdict, paint),
    ...divergenceLines(verdict, paint),
    ...result.notes.map((note) => paint("yellow", `note: ${note}`)),
    "",
    finalLine(result, verdict, paint),
  ].join("\n");
}
