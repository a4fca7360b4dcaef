/**
 * @module
 * Stock conservation with a declared hold TTL, and what an excess or a shortfall of final stock means.
 */

import { formatDuration } from "../../../base/config/duration.js";
import type { Observation } from "../runner.js";
import { type HoldExpiry, holdExpiry } from "../types.js";
import { releaseWindow } from "./expiry-window.js";
import { acceptedReserve, type OrderHistory, type PhaseHistory, unitsOf } from "./history.js";
import type { SkuBalance } from "./stock.js";
import { type CheckId, isIndeterminate, mayHaveApplied, refOf, type Violation } from "./types.js";

const end = (o: Observation) => o.endedAt ?? Number.POSITIVE_INFINITY;
const sum = (orders: readonly OrderHistory[], sku: number) =>
  orders.reduce((n, o) => n + unitsOf(holdOf(o) as Observation, sku), 0);

/** The reservation that took the order's stock: the accepted one, else one whose answer was lost. */
const holdOf = (order: OrderHistory) => acceptedReserve(order) ?? order.reserves.find(isIndeterminate);

/**
 * Final stock per SKU with a declared TTL, observed at `at` (after every window closed, normally):
 * every unpaid hold is gone, so available = initial − units paid, exactly. An order whose pay was
 * lost (5xx, timeout) may be either; a hold whose window is still open at `at` may be either.
 */
export function expiryBalances(history: PhaseHistory, ttl: HoldExpiry, at: number): SkuBalance[] {
  return [...history.initial].map(([sku, initial]) => {
    let reserved = 0;
    let paid = 0;
    let low = 0;
    let high = 0;
    for (const order of history.orders.values()) {
      const hold = holdOf(order);
      if (hold === undefined) continue;
      const units = unitsOf(hold, sku);
      if (units === 0) continue;
      if (hold.klass === "ok") reserved += units;
      const payAccepted = order.pays.some((p) => p.klass === "ok");
      if (payAccepted && order.cancels.some((c) => c.klass === "ok")) {
        // Both answered 200: "paid and cancelled" reports it; the stock may be either.
        low -= units;
        continue;
      }
      if (payAccepted) {
        paid += units;
        low -= units;
        high -= units;
        continue;
      }
      const window = releaseWindow(ttl, hold);
      // Held or paid both keep the units out; cancelled or expired both put them back.
      let out: "yes" | "no" | "maybe";
      if (order.cancels.some((c) => c.klass === "ok")) out = "no";
      else if (window.closes <= at) out = order.pays.some(isIndeterminate) ? "maybe" : "no";
      else if (window.opens > at && hold.klass === "ok" && !order.cancels.some(isIndeterminate)) out = "yes";
      else out = "maybe";
      if (out !== "no") low -= units;
      if (out === "yes") high -= units;
    }
    const observed = history.run.after?.skus.find((s) => s.productStockId === sku)?.available ?? null;
    return {
      sku,
      initial,
      reserved,
      restored: reserved - paid,
      paid,
      min: initial + low,
      max: initial + high,
      observed,
    };
  });
}

export interface ExpiryFindings {
  /** Conservation broken for a reason expiry does not name (a lost update). */
  readonly conservation: Violation[];
  readonly doubleRestore: Violation[];
  /** paid-after-release, released-twice, never-released, released-early. */
  readonly expiry: Violation[];
}

/**
 * Conservation with a declared TTL, and what an excess or a shortfall means. Excess: a pay accepted
 * once the hold's window had opened (the sweeper may have returned the stock first: paid after
 * release), a cancel accepted once it had opened (sweeper and cancel both restored: released
 * twice), or a cancel accepted twice (double restore). Shortfall: holds with no pay still counted
 * after ttl + grace (never released).
 */
export function judgeExpiryConservation(history: PhaseHistory, ttl: HoldExpiry): ExpiryFindings {
  const phase = history.run.name;
  const at = history.run.settledAt ?? history.run.endedAt;
  const findings: ExpiryFindings = { conservation: [], doubleRestore: [], expiry: [] };
  const orders = [...history.orders.values()].filter((o) => acceptedReserve(o) !== undefined);
  const opens = (o: OrderHistory) => releaseWindow(ttl, acceptedReserve(o) as Observation).opens;
  const push = (
    list: Violation[],
    check: CheckId,
    sku: number,
    message: string,
    b: SkuBalance,
    requests: Observation[],
  ) =>
    list.push({
      check,
      phase,
      sku,
      message,
      expected: `available ${b.min === b.max ? b.min : `${b.min}…${b.max}`} (${b.initial} initial − ${b.paid} paid; every unpaid hold released)`,
      observed: `available ${b.observed}`,
      requests: requests.slice(0, 4).map((o) => refOf(phase, o)),
    });
  for (const b of expiryBalances(history, ttl, at)) {
    if (b.observed === null || (b.observed >= b.min && b.observed <= b.max)) continue;
    const mine = orders.filter((o) => unitsOf(acceptedReserve(o) as Observation, b.sku) > 0);
    if (b.observed > b.max) {
      const excess = b.observed - b.max;
      const paidLate = mine.filter((o) => o.pays.some((p) => p.klass === "ok" && end(p) >= opens(o)));
      const cancelledLate = mine.filter(
        (o) => !o.pays.some((p) => p.klass === "ok") && o.cancels.some((c) => c.klass === "ok" && end(c) >= opens(o)),
      );
      const repeated = mine.filter((o) => o.cancels.filter((c) => c.klass === "ok").length > 1);
      const explainable =
        sum(paidLate, b.sku) +
        sum(cancelledLate, b.sku) +
        repeated.reduce(
          (n, o) =>
            n +
            (o.cancels.filter((c) => c.klass === "ok").length - 1) * unitsOf(acceptedReserve(o) as Observation, b.sku),
          0,
        );
      if (excess <= explainable) {
        if (paidLate.length > 0)
          push(
            findings.expiry,
            "paid-after-release",
            b.sku,
            `SKU ${b.sku} has ${excess} units more than the paid orders leave: ${paidLate.length} orders were answered 200 to a pay that ended after their hold's release window opened (${formatDuration(ttl.ttlMs)} TTL) — paid after release: the sweeper returned the stock and the order still ended PAID.`,
            b,
            paidLate.flatMap((o) => [acceptedReserve(o) as Observation, ...o.pays.filter((p) => p.klass === "ok")]),
          );
        if (cancelledLate.length > 0)
          push(
            findings.expiry,
            "released-twice",
            b.sku,
            `SKU ${b.sku} has ${excess} units more than the paid orders leave: ${cancelledLate.length} orders were cancelled after their hold's release window opened — released twice: expiry and cancel both restored.`,
            b,
            cancelledLate.flatMap((o) => [
              acceptedReserve(o) as Observation,
              ...o.cancels.filter((c) => c.klass === "ok"),
            ]),
          );
        if (repeated.length > 0)
          push(
            findings.doubleRestore,
            "double-restore",
            b.sku,
            `SKU ${b.sku} has ${excess} units more than conservation allows after ${repeated.length} orders were cancelled more than once: a cancel restored stock twice.`,
            b,
            repeated.flatMap((o) => o.cancels),
          );
        continue;
      }
      push(
        findings.conservation,
        "conservation",
        b.sku,
        `SKU ${b.sku} has ${excess} units more than conservation allows, more than late pays and cancels could put back: accepted reservations did not all take stock (a lost update).`,
        b,
        [],
      );
      continue;
    }
    const shortfall = b.min - b.observed;
    const unpaid = mine.filter((o) => !o.pays.some(mayHaveApplied) && !o.cancels.some(mayHaveApplied));
    if (shortfall <= sum(unpaid, b.sku)) {
      push(
        findings.expiry,
        "never-released",
        b.sku,
        `SKU ${b.sku} still has ${shortfall} units held ${formatDuration(ttl.ttlMs)} TTL + ${formatDuration(ttl.graceMs)} grace after the last reservation, with no pay: never released (${unpaid.length} holds were neither paid nor cancelled).`,
        b,
        unpaid.map((o) => acceptedReserve(o) as Observation),
      );
      continue;
    }
    push(
      findings.conservation,
      "conservation",
      b.sku,
      `SKU ${b.sku} has ${shortfall} units fewer than conservation allows: stock was taken without an accepted reservation, or a restore was lost.`,
      b,
      [],
    );
  }
  return findings;
}

export { holdExpiry };
