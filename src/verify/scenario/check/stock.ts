/**
 * @module
 * The stock checks: every OUT_OF_STOCK explained, no oversell at any instant, final stock conserved.
 */

import type { Observation } from "../runner.js";
import type { HoldExpiry } from "../types.js";
import { releaseWindow } from "./expiry-window.js";
import { acceptedReserve, type OrderHistory, type PhaseHistory, restoredBy, unitsOf } from "./history.js";
import { isIndeterminate, mayHaveApplied, refOf, type Violation } from "./types.js";

const end = (o: Observation) => o.endedAt ?? Number.POSITIVE_INFINITY;
const start = (o: Observation) => o.sentAt ?? 0;

/** Units of one SKU over time: the sum of the units of every event strictly before t, in O(log n). */
function cumulative(events: readonly { at: number; units: number }[]) {
  const sorted = events.filter((e) => e.units > 0).sort((a, b) => a.at - b.at);
  const times = sorted.map((e) => e.at);
  const sums = [0];
  for (const e of sorted) sums.push((sums.at(-1) as number) + e.units);
  return (t: number) => {
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((times[mid] as number) < t) lo = mid + 1;
      else hi = mid;
    }
    return sums[lo] as number;
  };
}

/**
 * Every OUT_OF_STOCK must be explainable. Rule: a refusal of request q is admissible when, for at
 * least one SKU x it asks c units of, the fewest units that can have been available at some
 * instant while q ran is below c. That lower bound is
 *   initial(x) − Σ units of x in reservations that may have been applied (2xx or indeterminate) sent before q ended
 *              + Σ units of x in orders certainly restored (accepted reservation, accepted cancel, no payment) before q was sent.
 * Anything above it means stock sufficed throughout, so the refusal is wrong.
 */
export function stockFloor(
  history: PhaseHistory,
  ttl: HoldExpiry | null = null,
): (q: Observation) => { justified: boolean; why: string } {
  const reserves = history.sent.filter((o) => o.request.kind === "reserve" && mayHaveApplied(o));
  const restores: { at: number; order: Observation }[] = [];
  for (const order of history.orders.values()) {
    const reserve = acceptedReserve(order);
    if (reserve === undefined) continue;
    const cancelled = restoredBy(order);
    // With a declared TTL an unpaid hold is certainly back once its release window has closed.
    const expired =
      ttl !== null && !order.pays.some(mayHaveApplied) ? releaseWindow(ttl, reserve).closes : Number.POSITIVE_INFINITY;
    const at = Math.min(cancelled ?? Number.POSITIVE_INFINITY, expired);
    if (at !== Number.POSITIVE_INFINITY) restores.push({ at, order: reserve });
  }
  // Per SKU: units possibly taken by reservations sent before t, and units certainly back before t.
  const takenBefore = new Map<number, (t: number) => number>();
  const backBefore = new Map<number, (t: number) => number>();
  for (const sku of history.initial.keys()) {
    takenBefore.set(sku, cumulative(reserves.map((r) => ({ at: start(r), units: unitsOf(r, sku) }))));
    backBefore.set(sku, cumulative(restores.map((r) => ({ at: r.at, units: unitsOf(r.order, sku) }))));
  }
  return (q) => {
    const lows: string[] = [];
    for (const sku of new Set(q.request.lines.map((l) => l.sku))) {
      const wanted = unitsOf(q, sku);
      // q itself was refused, so it is not among the reservations that may have applied.
      const taken = takenBefore.get(sku)?.(end(q)) ?? 0;
      const back = backBefore.get(sku)?.(start(q)) ?? 0;
      const lowest = (history.initial.get(sku) ?? 0) - taken + back;
      if (lowest < wanted)
        return { justified: true, why: `SKU ${sku}: asked ${wanted}, possibly only ${lowest} available` };
      lows.push(
        `SKU ${sku}: asked ${wanted}, at least ${lowest} available throughout (${history.initial.get(sku)} initial − ${taken} possibly reserved + ${back} certainly restored)`,
      );
    }
    return { justified: false, why: lows.join("; ") };
  };
}

/** Applies the rule above to every OUT_OF_STOCK answer of a phase. */
export function judgeRejections(history: PhaseHistory, ttl: HoldExpiry | null = null): Violation[] {
  const phase = history.run.name;
  const floor = stockFloor(history, ttl);
  const violations: Violation[] = [];
  for (const q of history.sent) {
    if (q.request.kind !== "reserve" || q.outcome !== "OUT_OF_STOCK") continue;
    const judged = floor(q);
    if (!judged.justified) {
      violations.push({
        check: "wrong-rejection",
        phase,
        sku: q.request.lines[0]?.sku ?? null,
        message: `Reservation ${q.request.paymentOrderId} (${q.request.caseName}, round ${q.request.round}) was refused OUT_OF_STOCK while stock sufficed: ${judged.why}.`,
        expected: "200 RESERVED",
        observed: `${q.status} OUT_OF_STOCK`,
        requests: [refOf(phase, q)],
      });
    }
  }
  return violations;
}

/**
 * No oversell: at no instant may more units be certainly held than the SKU had. Units certainly
 * held at t: accepted reservations that ended by t, minus every order with a cancel sent by t.
 * One hold per paymentOrderId: a second 200 may be an idempotent replay that took nothing.
 * With a declared TTL a hold counts only until its release window opens, unless it was certainly
 * paid before that.
 */
export function judgeOversell(
  history: PhaseHistory,
  ttl: HoldExpiry | null = null,
  /** Hypothesis of a correct server: a hold whose pay was accepted was never released. */
  paidKeep = false,
): Violation[] {
  const phase = history.run.name;
  const violations: Violation[] = [];
  for (const [sku, initial] of history.initial) {
    const accepted: Observation[] = [];
    // A reservation counts as certainly held from its answer until a cancel of its order is sent.
    // At equal times releases go first, so the count stays a lower bound.
    const events: { at: number; units: number }[] = [];
    for (const order of history.orders.values()) {
      const r = acceptedReserve(order);
      const units = r === undefined ? 0 : unitsOf(r, sku);
      if (r === undefined || units === 0) continue;
      accepted.push(r);
      let paidAt = Number.POSITIVE_INFINITY;
      for (const p of order.pays) if (p.klass === "ok") paidAt = Math.min(paidAt, end(p));
      // Only a cancel that may have taken effect, sent by the order's owner, can end a hold: a
      // refused or foreign cancel leaves it held (otherwise it would hide an oversell).
      let cancelSent = Number.POSITIVE_INFINITY;
      for (const c of order.cancels)
        if (mayHaveApplied(c) && c.request.user.username === r.request.user.username)
          cancelSent = Math.min(cancelSent, start(c));
      const from = end(r);
      const opens = ttl === null ? Number.POSITIVE_INFINITY : releaseWindow(ttl, r).opens;
      const kept = paidAt < opens || (paidKeep && paidAt !== Number.POSITIVE_INFINITY);
      const until = Math.min(cancelSent, kept ? Number.POSITIVE_INFINITY : opens);
      if (until <= from) continue;
      events.push({ at: from, units });
      if (until !== Number.POSITIVE_INFINITY) events.push({ at: until, units: -units });
    }
    accepted.sort((a, b) => end(a) - end(b));
    events.sort((a, b) => a.at - b.at || a.units - b.units);
    let held = 0;
    let worst: { held: number; at: number } | null = null;
    for (const e of events) {
      held += e.units;
      if (e.units > 0 && held > initial && (worst === null || held > worst.held)) worst = { held, at: e.at };
    }
    if (worst !== null) {
      const at = worst.at;
      const involved = accepted.filter((r) => end(r) <= at);
      violations.push({
        check: "oversell",
        phase,
        sku,
        message: `SKU ${sku} oversold by ${worst.held - initial} units: ${worst.held} held by accepted reservations (none cancelled${ttl === null ? "" : " or due to expire"}) against ${initial} in stock, ${at.toFixed(1)} ms into the run.`,
        expected: `at most ${initial} units held`,
        observed: `${worst.held} units held`,
        requests: [...involved.slice(0, 3), ...involved.slice(-3)].map((o) => refOf(phase, o)),
      });
    }
    const after = history.run.after?.skus.find((s) => s.productStockId === sku);
    if (after !== undefined && after.available < 0) {
      violations.push({
        check: "oversell",
        phase,
        sku,
        message: `SKU ${sku} has ${after.available} units available after the phase: stock went below zero.`,
        expected: "available ≥ 0",
        observed: `available ${after.available}`,
        requests: [],
      });
    }
  }
  return violations;
}

export interface SkuBalance {
  readonly sku: number;
  readonly initial: number;
  readonly reserved: number;
  readonly restored: number;
  readonly paid: number;
  /** The final available stock conservation allows, as an interval when some answers were indeterminate. */
  readonly min: number;
  readonly max: number;
  readonly observed: number | null;
}

/**
 * "expected 3…5 (8 − 5 reserved + 0 restored)", or, when conservation's whole range is below zero,
 * what that means: the accepted reservations exceed the stock (a negative expectation is no stock).
 */
export function describeAllowed(b: Pick<SkuBalance, "initial" | "reserved" | "restored" | "min" | "max">): string {
  if (b.max < 0) {
    const by = b.min === b.max ? `${-b.max}` : `${-b.max}…${-b.min}`;
    return `but the accepted reservations (${b.reserved} units, ${b.restored} restored) exceed the ${b.initial} in stock by ${by}: the stock would have gone below zero`;
  }
  const range = b.min === b.max ? `${b.min}` : `${b.min}…${b.max}`;
  return `expected ${range} (${b.initial} − ${b.reserved} reserved + ${b.restored} restored)`;
}

/** Conservation per SKU: final available = initial − accepted reservations + restores of accepted, unpaid, cancelled orders. */
export function balances(history: PhaseHistory): SkuBalance[] {
  return [...history.initial].map(([sku, initial]) => {
    let reserved = 0;
    let restored = 0;
    let paid = 0;
    let down = 0;
    let up = 0;
    for (const order of history.orders.values()) {
      const reserve = acceptedReserve(order);
      if (reserve !== undefined) {
        const units = unitsOf(reserve, sku);
        reserved += units;
        if (restoredBy(order) !== null) restored += units;
        else if (order.pays.some((p) => p.klass === "ok")) paid += units;
        else if (order.cancels.some(isIndeterminate)) up += units;
      } else {
        const unknown = order.reserves.find(isIndeterminate);
        if (unknown !== undefined) down += unitsOf(unknown, sku);
      }
    }
    const expected = initial - reserved + restored;
    const observed = history.run.after?.skus.find((s) => s.productStockId === sku)?.available ?? null;
    return { sku, initial, reserved, restored, paid, min: expected - down, max: expected + up, observed };
  });
}

const accepted = (o: Observation) => o.klass === "ok";

/**
 * The units that cancels beyond the one a reservation allows may have put back on `sku`: every
 * accepted cancel after the first of an unpaid order, every accepted cancel of a paid one.
 */
function extraRestores(history: PhaseHistory, sku: number): { repeated: OrderHistory[]; units: number } {
  const repeated: OrderHistory[] = [];
  let units = 0;
  for (const order of history.orders.values()) {
    const reserve = acceptedReserve(order);
    const cancels = order.cancels.filter(accepted).length;
    if (reserve === undefined || cancels === 0 || unitsOf(reserve, sku) === 0) continue;
    const paid = order.pays.some(accepted);
    if (cancels > 1) repeated.push(order);
    units += (paid ? cancels : cancels - 1) * unitsOf(reserve, sku);
  }
  return { repeated, units };
}

/** Compares each SKU's final stock with conservation; an excess with repeated cancels is a double restore. */
export function judgeConservation(history: PhaseHistory): { conservation: Violation[]; doubleRestore: Violation[] } {
  const phase = history.run.name;
  const conservation: Violation[] = [];
  const doubleRestore: Violation[] = [];
  for (const b of balances(history)) {
    if (b.observed === null || (b.observed >= b.min && b.observed <= b.max)) continue;
    const range = b.min === b.max ? `${b.min}` : `${b.min}…${b.max}`;
    const formula = `${b.initial} initial − ${b.reserved} reserved + ${b.restored} restored`;
    // A range wholly below zero is no stock a server could show: say what it means instead.
    const expected =
      b.max < 0 ? `the stock to stay at or above 0, ${describeAllowed(b)}` : `available ${range} (${formula})`;
    const excess = b.observed - b.max;
    const restores = excess > 0 ? extraRestores(history, b.sku) : null;
    if (restores !== null && restores.repeated.length > 0) {
      const ids = restores.repeated.map((o) => o.paymentOrderId);
      doubleRestore.push({
        check: "double-restore",
        phase,
        sku: b.sku,
        message: `SKU ${b.sku} has ${excess} units more than conservation allows, and ${ids.length} orders had two or more cancels answered 200 (${ids.slice(0, 3).join(", ")}${ids.length > 3 ? ", …" : ""}): a cancel restored stock twice.`,
        expected,
        observed: `available ${b.observed}`,
        requests: restores.repeated.slice(0, 3).flatMap((o) => o.cancels.filter(accepted).map((c) => refOf(phase, c))),
      });
    }
    // Repeated cancels, and cancels of paid orders, may each have put units back: only an excess
    // beyond all of them is left for a lost update to explain.
    if (restores !== null && excess <= restores.units) continue;
    const counted =
      restores === null || restores.units === 0
        ? ""
        : `, more than the ${restores.units} units repeated cancels and cancels of paid orders could have put back`;
    conservation.push({
      check: "conservation",
      phase,
      sku: b.sku,
      message:
        excess > 0
          ? `SKU ${b.sku} has ${excess} units more than conservation allows${counted}: accepted reservations did not all take stock (a lost update).`
          : `SKU ${b.sku} has ${b.min - b.observed} units fewer than conservation allows: stock was taken without an accepted reservation, or a restore was lost.`,
      expected,
      observed: `available ${b.observed}`,
      requests: [],
    });
  }
  return { conservation, doubleRestore };
}
