/**
 * @module
 * Each paymentOrderId's reserves, pays and cancels within a phase, and what they show (units, restore time).
 */

import { smallest } from "../extent.js";
import type { Observation, PhaseRun } from "../runner.js";
import type { Scenario } from "../types.js";

/** Everything observed about one paymentOrderId within a phase. */
export interface OrderHistory {
  readonly paymentOrderId: string;
  readonly reserves: readonly Observation[];
  readonly pays: readonly Observation[];
  readonly cancels: readonly Observation[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const none: readonly Observation[] = Object.freeze([]);
// A pushed-to empty array reserves room for 17 values: with a million orders of one or two
// requests each, exact-size arrays keep the per-order history to a quarter of that.
const plus = (list: readonly Observation[], o: Observation): readonly Observation[] => {
  if (list.length === 0) return [o];
  if (list.length === 1) return [list[0] as Observation, o];
  (list as Observation[]).push(o); // made here, never the frozen `none`
  return list;
};

export interface PhaseHistory {
  readonly run: PhaseRun;
  readonly orders: ReadonlyMap<string, OrderHistory>;
  /** Available units per SKU when the phase started: the snapshot, else the given stock. */
  readonly initial: ReadonlyMap<number, number>;
  readonly sent: readonly Observation[];
}

export function phaseHistory(
  scenario: Scenario,
  run: PhaseRun,
  modelInitial: Readonly<Record<number, number>>,
): PhaseHistory {
  const orders = new Map<string, Mutable<OrderHistory>>();
  const sent = run.observations.filter((o) => o.klass !== "not-sent");
  for (const o of sent) {
    const id = o.request.paymentOrderId;
    let history = orders.get(id);
    if (history === undefined) {
      history = { paymentOrderId: id, reserves: none, pays: none, cancels: none };
      orders.set(id, history);
    }
    if (o.request.kind === "reserve") history.reserves = plus(history.reserves, o);
    else if (o.request.kind === "pay") history.pays = plus(history.pays, o);
    else history.cancels = plus(history.cancels, o);
  }
  const initial = new Map<number, number>();
  for (const sku of scenario.skus) {
    const snap = run.before?.skus.find((s) => s.productStockId === sku.productStockId);
    initial.set(sku.productStockId, snap?.available ?? modelInitial[sku.productStockId] ?? sku.stock);
  }
  return { run, orders, initial, sent };
}

/** Units of a SKU a request's lines name. */
export const unitsOf = (o: Observation, sku: number) =>
  o.request.lines.reduce((sum, l) => (l.sku === sku ? sum + l.count : sum), 0);

/** The order's reservation that the server accepted, if any (the first). */
export const acceptedReserve = (h: OrderHistory) => h.reserves.find((r) => r.klass === "ok");

/**
 * When the order's stock was certainly back: the end of its first accepted cancel, provided a
 * reservation was accepted and no payment was. Null when it was never restored (as far as observed).
 */
export function restoredBy(h: OrderHistory): number | null {
  if (acceptedReserve(h) === undefined || h.pays.some((p) => p.klass === "ok")) return null;
  const ends = h.cancels.filter((c) => c.klass === "ok").map((c) => c.endedAt ?? Number.POSITIVE_INFINITY);
  return ends.length === 0 ? null : smallest(ends);
}
