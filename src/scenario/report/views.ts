import { escapeHtml as esc } from "../../report/escape.js";
import { chart, legend } from "../../report/svg.js";
import type { Verdict } from "../check/index.js";
import type { OutcomeClass } from "../client.js";
import { largest } from "../extent.js";
import type { Observation, RunResult } from "../runner.js";

/** The run's HTML views: its figures and charts, shown by the run report and per phase by the audit. */

/** One colour per answer class, in every chart and legend. */
export const outcomeColors: Record<OutcomeClass, string> = {
  ok: "#2e7d32",
  rejected: "#1565c0",
  "other-4xx": "#8e24aa",
  "5xx": "#d32f2f",
  timeout: "#ef6c00",
  network: "#6d4c41",
  aborted: "#6d4c41",
  "not-sent": "#9e9e9e",
};
/** The answer classes in legend order. */
export const outcomeClasses = Object.keys(outcomeColors) as OutcomeClass[];
const skuPalette = ["#1565c0", "#2e7d32", "#ef6c00", "#8e24aa", "#00838f", "#c62828"];

/** Sent observations in time order across phases. */
const sentOf = (result: RunResult) =>
  result.phases
    .flatMap((p) => p.observations)
    .filter((o): o is Observation & { sentAt: number; endedAt: number } => o.sentAt !== null && o.endedAt !== null);

/** Keeps every nth point so a chart stays light; violations and failures are always kept. */
function thin<T>(items: readonly T[], limit: number, keep: (item: T) => boolean): T[] {
  if (items.length <= limit) return [...items];
  const every = Math.ceil(items.length / limit);
  return items.filter((item, i) => i % every === 0 || keep(item));
}

/** Each request's latency at the time it was sent; `flagged` requests (named by a violation) drawn larger. */
export function latencyOverTime(result: RunResult, flagged: ReadonlySet<number>): string {
  const sent = sentOf(result);
  const points = thin(sent, 4000, (o) => o.klass !== "ok" && o.klass !== "rejected");
  const xMax = largest(
    sent.map((o) => o.sentAt / 1000),
    0.001,
  );
  const yMax = largest(
    sent.map((o) => o.endedAt - o.sentAt),
    1,
  );
  const svg = chart(
    { width: 900, height: 300, xMax, yMax, xLabel: "sent at (s since start)", yLabel: "latency (ms)" },
    (x, y) =>
      points
        .map((o) => {
          const bad = flagged.has(o.request.seq);
          return `<circle cx="${x(o.sentAt / 1000).toFixed(1)}" cy="${y(o.endedAt - o.sentAt).toFixed(1)}" r="${bad ? 4 : 2}" fill="${outcomeColors[o.klass]}"${bad ? ' stroke="#000" class="violation"' : ""}><title>#${o.request.seq} ${esc(o.request.caseName)} ${o.outcome} ${(o.endedAt - o.sentAt).toFixed(1)} ms</title></circle>`;
        })
        .join(""),
    "Latency over time",
  );
  return `${svg}${legend(outcomeClasses.filter((k) => sent.some((o) => o.klass === k)).map((k) => [k, outcomeColors[k]]))}`;
}

/** How many requests took how long, in 40 bins. */
export function latencyHistogram(result: RunResult): string {
  const latencies = sentOf(result).map((o) => o.endedAt - o.sentAt);
  const max = largest(latencies, 1);
  const bins = 40;
  const width = max / bins;
  const counts = Array.from({ length: bins }, () => 0);
  for (const l of latencies) {
    const bin = Math.min(bins - 1, Math.floor(l / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  const yMax = Math.max(...counts, 1);
  return chart(
    { width: 900, height: 240, xMax: max, yMax, xLabel: "latency (ms)", yLabel: "requests" },
    (x, y) =>
      counts
        .map((c, i) => {
          const x0 = x(i * width);
          const w = Math.max(1, x((i + 1) * width) - x0 - 1);
          return `<rect x="${x0.toFixed(1)}" y="${y(c).toFixed(1)}" width="${w.toFixed(1)}" height="${(y(0) - y(c)).toFixed(1)}" fill="#1565c0"><title>${(i * width).toFixed(1)}–${((i + 1) * width).toFixed(1)} ms: ${c}</title></rect>`;
        })
        .join(""),
    "Latency histogram",
  );
}

/** Available stock per SKU as implied by the answers: accepted reservations take, certain restores give back. */
export function stockOverTime(result: RunResult): string {
  const series: { sku: number; points: [number, number][] }[] = [];
  for (const sku of result.scenario.skus) {
    const points: [number, number][] = [];
    for (const phase of result.phases) {
      let level = phase.before?.skus.find((s) => s.productStockId === sku.productStockId)?.available ?? sku.stock;
      const events: [number, number][] = [];
      const byOrder = new Map<string, Observation[]>();
      for (const o of phase.observations) {
        const list = byOrder.get(o.request.paymentOrderId) ?? [];
        list.push(o);
        byOrder.set(o.request.paymentOrderId, list);
      }
      for (const list of byOrder.values()) {
        const reserve = list.find((o) => o.request.kind === "reserve" && o.klass === "ok");
        if (reserve === undefined || reserve.endedAt === null) continue;
        const units = reserve.request.lines.reduce((s, l) => (l.sku === sku.productStockId ? s + l.count : s), 0);
        if (units === 0) continue;
        events.push([reserve.endedAt, -units]);
        const paid = list.some((o) => o.request.kind === "pay" && o.klass === "ok");
        const cancels = list.filter((o) => o.request.kind === "cancel" && o.klass === "ok" && o.endedAt !== null);
        if (!paid && cancels.length > 0) events.push([Math.min(...cancels.map((c) => c.endedAt as number)), units]);
      }
      events.sort((a, b) => a[0] - b[0]);
      // Between phases the stock stays where it was until the next phase sets it: a step, not a ramp.
      const previous = points.at(-1);
      if (previous !== undefined) points.push([phase.startedAt, previous[1]]);
      points.push([phase.startedAt, level]);
      for (const [t, delta] of events) {
        points.push([t, level]);
        level += delta;
        points.push([t, level]);
      }
      points.push([phase.endedAt, level]);
      const after = phase.after?.skus.find((s) => s.productStockId === sku.productStockId);
      if (after !== undefined) points.push([phase.endedAt, after.available]);
    }
    series.push({ sku: sku.productStockId, points: thinSteps(points, 3000) });
  }
  const xMax = largest(
    series.flatMap((s) => s.points.map((p) => p[0] / 1000)),
    0.001,
  );
  const yMax = largest(
    series.flatMap((s) => s.points.map((p) => p[1])),
    1,
  );
  const svg = chart(
    { width: 900, height: 260, xMax, yMax, xLabel: "time (s since start)", yLabel: "available units" },
    (x, y) =>
      series
        .map(
          (s, i) =>
            `<polyline fill="none" stroke-width="2" stroke="${skuPalette[i % skuPalette.length]}" points="${s.points
              .map(([t, v]) => `${x(t / 1000).toFixed(1)},${y(Math.max(0, v)).toFixed(1)}`)
              .join(" ")}"/>`,
        )
        .join(""),
    "Stock over time",
  );
  return `${svg}${legend(series.map((s, i) => [`SKU ${s.sku}`, skuPalette[i % skuPalette.length] as string]))}`;
}

function thinSteps(points: [number, number][], limit: number): [number, number][] {
  if (points.length <= limit) return points;
  const every = Math.ceil(points.length / limit);
  return points.filter((_, i) => i % every === 0 || i === points.length - 1);
}

/** Stacked outcome classes per round (rounds bucketed when there are many). */
export function outcomesPerRound(result: RunResult, phaseIndex: number): string {
  const phase = result.phases[phaseIndex];
  if (phase === undefined) return "";
  const rounds = phase.traffic.rounds;
  // Whole rounds per bar, so every bar holds the same number of requests.
  const per = Math.ceil(rounds / 200);
  const buckets = Math.ceil(rounds / per);
  const stacks = Array.from({ length: buckets }, () => new Map<OutcomeClass, number>());
  for (const o of phase.observations) {
    const stack = stacks[Math.min(buckets - 1, Math.floor(o.request.round / per))] as Map<OutcomeClass, number>;
    stack.set(o.klass, (stack.get(o.klass) ?? 0) + 1);
  }
  const yMax = Math.max(...stacks.map((s) => [...s.values()].reduce((a, b) => a + b, 0)), 1);
  return chart(
    { width: 900, height: 220, xMax: rounds, yMax, xLabel: `round (phase "${phase.name}")`, yLabel: "requests" },
    (x, y) =>
      stacks
        .map((stack, i) => {
          let base = 0;
          const x0 = x(i * per);
          const w = Math.max(1, x((i + 1) * per) - x0 - 0.5);
          return outcomeClasses
            .map((k) => {
              const n = stack.get(k) ?? 0;
              if (n === 0) return "";
              const rect = `<rect x="${x0.toFixed(1)}" y="${y(base + n).toFixed(1)}" width="${w.toFixed(1)}" height="${(y(base) - y(base + n)).toFixed(1)}" fill="${outcomeColors[k]}"><title>rounds ${Math.floor(i * per)}–${Math.ceil((i + 1) * per) - 1}: ${k} ${n}</title></rect>`;
              base += n;
              return rect;
            })
            .join("");
        })
        .join(""),
    "Outcomes per round",
  );
}

/** Requests, duration, throughput and latency percentiles in one line. */
export function figures(result: RunResult, verdict: Verdict): string {
  const l = verdict.latency;
  return `${verdict.requests} requests in ${(result.wallMs / 1000).toFixed(1)} s · ${verdict.rps.toFixed(0)} req/s · p50 ${l.p50.toFixed(1)} ms · p90 ${l.p90.toFixed(1)} ms · p99 ${l.p99.toFixed(1)} ms · max ${l.max.toFixed(1)} ms`;
}
