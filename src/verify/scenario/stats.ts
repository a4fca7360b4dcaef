/**
 * @module
 * Latency summaries (HDR histogram) and outcome counts of a run's observations.
 */

import { build } from "hdr-histogram-js";
import type { Observation } from "./runner.js";

/** Latency summary in milliseconds. */
export interface Latency {
  readonly count: number;
  readonly min: number;
  readonly avg: number;
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

const emptyLatency: Latency = { count: 0, min: 0, avg: 0, p50: 0, p90: 0, p95: 0, p99: 0, max: 0 };

/** Latencies of answered requests (not of those never sent), through an HDR histogram at microsecond resolution. */
export function latencyOf(observations: readonly Observation[]): Latency & { percentile(p: number): number } {
  const answered = observations.filter((o) => o.sentAt !== null && o.endedAt !== null);
  if (answered.length === 0) return { ...emptyLatency, percentile: () => 0 };
  const histogram = build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  let min = Number.POSITIVE_INFINITY;
  let sum = 0;
  for (const o of answered) {
    const ms = (o.endedAt as number) - (o.sentAt as number);
    histogram.recordValue(Math.max(1, Math.round(ms * 1000)));
    min = Math.min(min, ms);
    sum += ms;
  }
  // The histogram stays alive with the result: thresholds may ask for any percentile later.
  const at = (p: number) => histogram.getValueAtPercentile(p) / 1000;
  const result = {
    count: answered.length,
    min,
    avg: sum / answered.length,
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    max: histogram.maxValue / 1000,
    percentile: at,
  };
  return result;
}

/** Outcome name → count. */
export function countOutcomes(observations: readonly Observation[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of observations) counts[o.outcome] = (counts[o.outcome] ?? 0) + 1;
  return counts;
}
