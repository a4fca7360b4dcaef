/**
 * @module
 * The report's charts and figures: latency, histogram, stock over time, outcomes per round.
 */

import { escapeHtml as esc } from "../../../base/report-kit/escape.js";
import { chart, legend } from "../../../base/report-kit/svg.js";
import type { Verdict } from "../../scenario/check/index.js";
import type { OutcomeClass } from "../../scenario/client.js";
import { largest, smallest } from "../../scenario/extent.js";
import { trafficMs } from "../../scenario/run-result.js";
import type { Observation, RunResult } from "../../scenario/runner.js";

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

/**
 * Available stock per SKU as implied by the answers (accepted reservations take, certain restores
 * give back), drawn below zero where the server accepted more than it had; the units taken by
 * accepted holds (dashed), and the model's final stock of each phase (dotted).
 */
export function stockOverTime(result: RunResult): string {
  const series: {
    sku: number;
    points: [number, number][];
    taken: [number, number][];
    model: { from: number; to: number; units: number }[];
  }[] = [];
  // Per phase, once: each order's first accepted reservation, whether a pay was accepted, and when
  // its first accepted cancel ended (no list per order: a million orders would cost hundreds of MB).
  const phaseOrders = result.phases.map((phase) => {
    const reserved = new Map<string, Observation>();
    const paid = new Set<string>();
    const cancelled = new Map<string, number>();
    for (const o of phase.observations) {
      if (o.klass !== "ok") continue;
      const id = o.request.paymentOrderId;
      if (o.request.kind === "reserve") {
        if (!reserved.has(id)) reserved.set(id, o);
      } else if (o.request.kind === "pay") paid.add(id);
      else if (o.endedAt !== null) cancelled.set(id, Math.min(cancelled.get(id) ?? o.endedAt, o.endedAt));
    }
    return { reserved, paid, cancelled };
  });
  for (const sku of result.scenario.skus) {
    const points = createStepThinner(3000);
    const taken = createStepThinner(3000);
    const model: { from: number; to: number; units: number }[] = [];
    let held = 0;
    for (const [index, phase] of result.phases.entries()) {
      if (phase.index === 0 || result.scenario.phases[phase.index]?.restock === true) held = 0;
      let level = phase.before?.skus.find((s) => s.productStockId === sku.productStockId)?.available ?? sku.stock;
      // Events as plain number arrays sorted through an index: a million [t, delta] pairs as
      // arrays of their own would cost ~64 MB more.
      const at: number[] = [];
      const delta: number[] = [];
      const { reserved, paid, cancelled } = phaseOrders[index] as (typeof phaseOrders)[number];
      for (const [id, reserve] of reserved) {
        if (reserve.endedAt === null) continue;
        const units = reserve.request.lines.reduce((s, l) => (l.sku === sku.productStockId ? s + l.count : s), 0);
        if (units === 0) continue;
        at.push(reserve.endedAt);
        delta.push(-units);
        const back = cancelled.get(id);
        if (!paid.has(id) && back !== undefined) {
          at.push(back);
          delta.push(units);
        }
      }
      const order = Uint32Array.from(at.keys()).sort((a, b) => (at[a] as number) - (at[b] as number) || a - b);
      // Between phases the stock stays where it was until the next phase sets it: a step, not a ramp.
      const previous = points.last();
      if (previous !== undefined) points.add(phase.startedAt, previous[1]);
      points.add(phase.startedAt, level);
      taken.add(phase.startedAt, held);
      for (const i of order) {
        const t = at[i] as number;
        const d = delta[i] as number;
        points.add(t, level);
        level += d;
        points.add(t, level);
        if (d < 0) {
          taken.add(t, held);
          held -= d;
          taken.add(t, held);
        }
      }
      points.add(phase.endedAt, level);
      taken.add(phase.endedAt, held);
      const after = phase.after?.skus.find((s) => s.productStockId === sku.productStockId);
      if (after !== undefined) points.add(phase.endedAt, after.available);
      const expected = result.model.phases[phase.index]?.final[sku.productStockId];
      if (expected !== undefined) model.push({ from: phase.startedAt, to: phase.endedAt, units: expected });
    }
    series.push({ sku: sku.productStockId, points: points.result(), taken: taken.result(), model });
  }
  const xMax = largest(
    series.flatMap((s) => s.points.map((p) => p[0] / 1000)),
    0.001,
  );
  const values = series.flatMap((s) => [
    ...s.points.map((p) => p[1]),
    ...s.taken.map((p) => p[1]),
    ...s.model.map((m) => m.units),
  ]);
  const yMax = largest(values, 1);
  const yMin = Math.min(0, smallest(values, 0));
  const line = ([t, v]: [number, number], x: (v: number) => number, y: (v: number) => number) =>
    `${x(t / 1000).toFixed(1)},${y(v).toFixed(1)}`;
  const svg = chart(
    { width: 900, height: 280, xMax, yMax, yMin, xLabel: "time (s since start)", yLabel: "units" },
    (x, y) =>
      series
        .map((s, i) => {
          const colour = skuPalette[i % skuPalette.length];
          return [
            `<polyline fill="none" stroke-width="2" stroke="${colour}" class="available" points="${s.points.map((p) => line(p, x, y)).join(" ")}"><title>SKU ${s.sku}: available, as the answers imply</title></polyline>`,
            `<polyline fill="none" stroke-width="1.5" stroke-dasharray="6 4" stroke="${colour}" class="taken" points="${s.taken.map((p) => line(p, x, y)).join(" ")}"><title>SKU ${s.sku}: units taken by accepted holds</title></polyline>`,
            ...s.model.map(
              (m) =>
                `<line x1="${x(m.from / 1000).toFixed(1)}" y1="${y(m.units).toFixed(1)}" x2="${x(m.to / 1000).toFixed(1)}" y2="${y(m.units).toFixed(1)}" stroke="${colour}" stroke-width="2" stroke-dasharray="1 3" class="model"><title>SKU ${s.sku}: the model's final stock, ${m.units}</title></line>`,
            ),
          ].join("");
        })
        .join(""),
    "Stock over time",
  );
  const oversold =
    yMin < 0 ? '<p class="oversold">Below 0: the server accepted holds for more units than it had.</p>' : "";
  return `${svg}${legend(series.map((s, i) => [`SKU ${s.sku}`, skuPalette[i % skuPalette.length] as string]))}<p class="muted">Solid: available, as the accepted answers imply · dashed: units taken by accepted holds · dotted: the model's final stock.</p>${oversold}`;
}

function createStepThinner(limit: number) {
  // Keeps every `every`-th point as they come; past 2 × limit, drops every other one kept and keeps
  // half as many from then on: bounded memory however many events, the last point always kept.
  let kept: [number, number][] = [];
  let every = 1;
  let seen = 0;
  let last: [number, number] | undefined;
  return {
    add(t: number, v: number) {
      last = [t, v];
      if (seen++ % every !== 0) return;
      kept.push(last);
      if (kept.length >= 2 * limit) {
        kept = kept.filter((_, i) => i % 2 === 0);
        every *= 2;
      }
    },
    last: () => last,
    result(): [number, number][] {
      return last !== undefined && kept.at(-1) !== last ? [...kept, last] : kept;
    },
  };
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
  return `${chart(
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
  )}${per > 1 ? `<p class="muted">Each bar groups ${per} rounds (${rounds} rounds in ${buckets} bars).</p>` : ""}`;
}

/** Requests, duration, throughput and latency percentiles in one line. */
export function figures(result: RunResult, verdict: Verdict): string {
  const l = verdict.latency;
  return `${verdict.requests} requests in ${(trafficMs(result) / 1000).toFixed(1)} s · ${verdict.rps.toFixed(0)} req/s · p50 ${l.p50.toFixed(1)} ms · p90 ${l.p90.toFixed(1)} ms · p99 ${l.p99.toFixed(1)} ms · max ${l.max.toFixed(1)} ms`;
}
