/**
 * @module
 * Whether a phase reached the races its checks exist to catch, bounded by the overlap of request intervals.
 */

import type { Observation } from "../runner.js";
import { isSerial, type Traffic } from "../types.js";
import { acceptedReserve, type PhaseHistory, unitsOf } from "./history.js";

/**
 * Whether a phase reached the races its classes exist to catch. A race needs two conflicting
 * requests at the target at once; the runner only sees each request's send and answer, so the
 * overlap of those intervals bounds it from above: no overlap there, no race at the server.
 */
export interface SkuContention {
  readonly sku: number;
  readonly initial: number;
  /** Units all reservations of the phase asked of the SKU. */
  readonly demand: number;
  readonly reservations: number;
  /** Most reservations of the SKU in flight together (send to answer). */
  readonly peakReserves: number;
  /** Most writes of the SKU (reservations, pays and cancels of its orders) in flight together. */
  readonly peakWrites: number;
}

export interface PhaseContention {
  /** The traffic meant requests to overlap (not serial), or some step raced two cases. */
  readonly concurrent: boolean;
  /** Between the first and the last send of the phase's first step, over its rounds (ms). */
  readonly firstStepSpreadMs: number | null;
  /** Released at once (a burst): only then is the spread of its sends the generator's, not the schedule's. */
  readonly burst: boolean;
  readonly skus: readonly SkuContention[];
}

/** The most intervals open at one instant; touching ends do not overlap. */
export function peakOverlap(intervals: readonly (readonly [number, number])[]): number {
  const events: [number, number][] = [];
  for (const [from, to] of intervals) events.push([from, 1], [to, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, delta] of events) {
    open += delta;
    if (open > peak) peak = open;
  }
  return peak;
}

const interval = (o: Observation): readonly [number, number] => [o.sentAt ?? 0, o.endedAt ?? Number.POSITIVE_INFINITY];

export function phaseContention(history: PhaseHistory, traffic: Traffic): PhaseContention {
  const reserves = history.sent.filter((o) => o.request.kind === "reserve");
  const firstSends = history.sent
    .filter((o) => o.request.step === 0 && o.sentAt !== null)
    .map((o) => o.sentAt as number);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const at of firstSends) {
    if (at < first) first = at;
    if (at > last) last = at;
  }
  const skus = [...history.initial].map(([sku, initial]): SkuContention => {
    const mine = reserves.filter((o) => unitsOf(o, sku) > 0);
    const writes: Observation[] = [...mine];
    for (const order of history.orders.values()) {
      const hold = acceptedReserve(order);
      if (hold !== undefined && unitsOf(hold, sku) > 0) writes.push(...order.pays, ...order.cancels);
    }
    return {
      sku,
      initial,
      demand: mine.reduce((n, o) => n + unitsOf(o, sku), 0),
      reservations: mine.length,
      peakReserves: peakOverlap(mine.map(interval)),
      peakWrites: peakOverlap(writes.map(interval)),
    };
  });
  return {
    concurrent: !isSerial(traffic) || history.sent.some((o) => o.request.raced),
    firstStepSpreadMs: firstSends.length > 1 ? last - first : null,
    burst: traffic.shape === "burst",
    skus,
  };
}

/** Why the phases could not have shown an oversell race, or null when some SKU short of stock was raced. */
export function oversellUnreached(phases: readonly PhaseContention[]): string | null {
  const concurrent = phases.filter((p) => p.concurrent);
  if (concurrent.length === 0) return null; // serial traffic: judged as plain logic, no race claimed
  const short = concurrent.flatMap((p) => p.skus.filter((s) => s.demand > s.initial));
  if (short.length === 0) return null;
  if (short.some((s) => s.peakReserves >= 2)) return null;
  return `contention not reached: on ${short.map((s) => `SKU ${s.sku} (${s.reservations} reservations for ${s.demand} units of ${s.initial})`).join(", ")} no two reservations were in flight together (peak 1) — the target answered them one by one, or the runner sent them apart${spreadNote(concurrent)}`;
}

/** Why the phases could not have shown a lost update race, or null when some SKU saw two writes at once. */
export function lostUpdateUnreached(phases: readonly PhaseContention[]): string | null {
  const concurrent = phases.filter((p) => p.concurrent);
  if (concurrent.length === 0) return null;
  const written = concurrent.flatMap((p) => p.skus.filter((s) => s.reservations > 1));
  if (written.length === 0 || written.some((s) => s.peakWrites >= 2)) return null;
  return `contention not reached: no two writes of one SKU were in flight together (peak 1 on ${written.map((s) => `SKU ${s.sku}`).join(", ")})${spreadNote(concurrent)}`;
}

const spreadNote = (phases: readonly PhaseContention[]) => {
  const spreads = phases.map((p) => p.firstStepSpreadMs).filter((s): s is number => s !== null);
  return spreads.length === 0 ? "" : `; first-step sends spread over ${Math.round(Math.max(...spreads))} ms`;
};

export const describeContention = (p: PhaseContention): string =>
  p.skus
    .filter((s) => s.reservations > 1)
    .map((s) => `SKU ${s.sku}: peak ${s.peakReserves} reservations / ${s.peakWrites} writes in flight`)
    .join(", ");
