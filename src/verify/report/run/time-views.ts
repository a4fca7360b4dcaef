/**
 * @module
 * The report's charts over time: answers per second by class, and latency percentiles per bucket.
 */

import { chart, legend } from "../../../base/report-kit/svg.js";
import type { OutcomeClass } from "../../scenario/client.js";
import { largest } from "../../scenario/extent.js";
import type { Observation, RunResult } from "../../scenario/runner.js";
import { outcomeClasses, outcomeColors } from "./views.js";

/** Throughput and latency percentiles over the run's time, as load-test reports draw them. */

type Answered = Observation & { sentAt: number; endedAt: number };

const answeredOf = (result: RunResult): Answered[] =>
  result.phases.flatMap((p) => p.observations).filter((o): o is Answered => o.sentAt !== null && o.endedAt !== null);

/** Time buckets over the run: about `target` of them, each a round number of milliseconds (≥ 1). */
function bucketsOf(endMs: number, target: number): { widthMs: number; count: number } {
  const raw = Math.max(1, endMs / target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const widthMs = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  return { widthMs, count: Math.max(1, Math.ceil(endMs / widthMs)) };
}

const bucketLabel = (widthMs: number) => (widthMs >= 1000 ? `${widthMs / 1000} s` : `${widthMs} ms`);

/** Answers per second over time, stacked by answer class, counted when each answer arrived. */
export function throughputOverTime(result: RunResult): string {
  const answered = answeredOf(result);
  if (answered.length === 0) return "<p>No answers.</p>";
  const endMs = largest(
    answered.map((o) => o.endedAt),
    1,
  );
  const { widthMs, count } = bucketsOf(endMs, 100);
  const stacks = Array.from({ length: count }, () => new Map<OutcomeClass, number>());
  for (const o of answered) {
    const stack = stacks[Math.min(count - 1, Math.floor(o.endedAt / widthMs))] as Map<OutcomeClass, number>;
    stack.set(o.klass, (stack.get(o.klass) ?? 0) + 1);
  }
  const perSecond = 1000 / widthMs;
  const yMax = largest(
    stacks.map((s) => [...s.values()].reduce((a, b) => a + b, 0) * perSecond),
    1,
  );
  const svg = chart(
    {
      width: 900,
      height: 240,
      xMax: (count * widthMs) / 1000,
      yMax,
      xLabel: `answered at (s since start; bars of ${bucketLabel(widthMs)})`,
      yLabel: "answers / s",
    },
    (x, y) =>
      stacks
        .map((stack, i) => {
          let base = 0;
          const x0 = x((i * widthMs) / 1000);
          const w = Math.max(1, x(((i + 1) * widthMs) / 1000) - x0 - 0.5);
          return outcomeClasses
            .map((k) => {
              const rate = (stack.get(k) ?? 0) * perSecond;
              if (rate === 0) return "";
              const rect = `<rect x="${x0.toFixed(1)}" y="${y(base + rate).toFixed(1)}" width="${w.toFixed(1)}" height="${(y(base) - y(base + rate)).toFixed(1)}" fill="${outcomeColors[k]}"><title>${((i * widthMs) / 1000).toFixed(2)} s: ${k} ${rate.toFixed(0)}/s</title></rect>`;
              base += rate;
              return rect;
            })
            .join("");
        })
        .join(""),
    "Throughput over time",
  );
  return `${svg}${legend(outcomeClasses.filter((k) => answered.some((o) => o.klass === k)).map((k) => [k, outcomeColors[k]]))}`;
}

/** The nearest-rank percentile of sorted values. */
const rank = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;

export const percentileLines = [
  { p: 50, color: "#2e7d32" },
  { p: 90, color: "#ef6c00" },
  { p: 99, color: "#c62828" },
] as const;

/** p50, p90 and p99 latency of the requests sent in each time bucket, and its maximum. */
export function latencyPercentilesOverTime(result: RunResult): string {
  const answered = answeredOf(result);
  if (answered.length === 0) return "<p>No answers.</p>";
  const endMs = largest(
    answered.map((o) => o.sentAt),
    1,
  );
  const { widthMs, count } = bucketsOf(endMs, 60);
  const buckets = Array.from({ length: count }, (): number[] => []);
  for (const o of answered) buckets[Math.min(count - 1, Math.floor(o.sentAt / widthMs))]?.push(o.endedAt - o.sentAt);
  const rows = buckets
    .map((latencies, i) => ({ at: ((i + 0.5) * widthMs) / 1000, sorted: latencies.sort((a, b) => a - b) }))
    .filter((r) => r.sorted.length > 0);
  const yMax = largest(
    rows.map((r) => r.sorted.at(-1) ?? 0),
    1,
  );
  const lines = [...percentileLines, { p: 100, color: "#616161" }];
  const svg = chart(
    {
      width: 900,
      height: 260,
      xMax: (count * widthMs) / 1000,
      yMax,
      xLabel: `sent at (s since start; every ${bucketLabel(widthMs)})`,
      yLabel: "latency (ms)",
    },
    (x, y) =>
      lines
        .map(
          ({ p, color }) =>
            `<polyline fill="none" stroke-width="${p === 100 ? 1 : 2}"${p === 100 ? ' stroke-dasharray="4 3"' : ""} stroke="${color}" class="p${p}" points="${rows
              .map((r) => `${x(r.at).toFixed(1)},${y(rank(r.sorted, p)).toFixed(1)}`)
              .join(" ")}"><title>${p === 100 ? "max" : `p${p}`}</title></polyline>`,
        )
        .join(""),
    "Latency percentiles over time",
  );
  return `${svg}${legend(lines.map(({ p, color }) => [p === 100 ? "max" : `p${p}`, color]))}`;
}
