import { formatDuration } from "../../config/duration.js";
import type { Observation } from "../runner.js";
import { type HoldExpiry, holdExpiry } from "../types.js";
import { namesExpiry, releaseWindow } from "./expiry-window.js";
import { acceptedReserve, type OrderHistory, type PhaseHistory, unitsOf } from "./history.js";
import { balances, judgeOversell, type SkuBalance } from "./stock.js";
import { type CheckId, isIndeterminate, isRefusal, mayHaveApplied, refOf, type Violation } from "./types.js";

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

/** What makes it look like holds expire although no TTL was declared. */
export interface ExpirySuspicion {
  /** One sentence for the report: what was seen, the delay, and how to declare it. */
  readonly message: string;
  /** What to do about it: declare the TTL, or (when final stock is the only evidence) read it right after the run. */
  readonly fix: string;
  /**
   * True when the final stock is the only evidence: no expiry refusal, no oversell that releases
   * explain. Stock read later, from another server or stated by hand looks the same as expiry.
   */
  readonly stockOnly: boolean;
  /** True when the oversell lower bound is explained by holds released ≥ the shortest plausible TTL. */
  readonly explainsOversell: boolean;
  /** Units of final stock above conservation that releases of unpaid, uncancelled holds could explain. */
  readonly explainsExcess: Map<number, boolean>;
  /** Pay or cancel refusals of untouched reserved orders that an expiry explains. */
  readonly refusals: ReadonlySet<Observation>;
}

/** The shortest TTL taken for an expiry; anything faster is a race, not an expiry (the reference's floor). */
const shortestTtlMs = 100;

/**
 * Without a declared TTL: does the run show holds that expire? Evidence: refusals naming an expiry
 * (409 ORDER_EXPIRED) of orders reserved and untouched, or stock that came back with no accepted
 * cancel — an oversell that disappears once unpaid holds are released ≥ 100 ms after they were
 * taken (paid holds stay: a race that oversold paid orders is never excused), or
 * final stock above conservation by no more than the unpaid, uncancelled holds. Null: none seen.
 */
export function suspectExpiry(history: PhaseHistory): ExpirySuspicion | null {
  const holds = [...history.orders.values()].filter((o) => acceptedReserve(o) !== undefined);
  const refusals = new Set<Observation>();
  let refusedAfter = Number.POSITIVE_INFINITY;
  for (const order of holds) {
    const reserve = acceptedReserve(order) as Observation;
    for (const o of [...order.pays, ...order.cancels]) {
      if (isRefusal(o) && namesExpiry(o)) {
        refusals.add(o);
        refusedAfter = Math.min(refusedAfter, end(o) - (reserve.sentAt ?? 0));
      }
    }
  }
  // Holds still there when a pay was accepted: the TTL is at least that long.
  let keptFor = 0;
  for (const order of holds) {
    const reserve = acceptedReserve(order) as Observation;
    for (const p of order.pays.filter((x) => x.klass === "ok"))
      keptFor = Math.max(keptFor, (p.sentAt ?? 0) - end(reserve));
  }

  const oversold = judgeOversell(history).length > 0;
  // A correct server never releases a hold it accepted a pay for: only unpaid holds may explain it.
  const explainedAt = (ms: number) =>
    judgeOversell(history, { ttlMs: ms, graceMs: 0, toleranceMs: 0 }, true).length === 0;
  const explainsOversell = oversold && explainedAt(shortestTtlMs);
  let longest: number | null = null;
  if (explainsOversell) {
    // The longest TTL that still explains the oversell: holds were released within about that long.
    let lo = shortestTtlMs;
    let hi = Math.max(lo, history.run.endedAt - history.run.startedAt);
    for (let i = 0; i < 20 && hi - lo > 5; i++) {
      const mid = (lo + hi) / 2;
      if (explainedAt(mid)) lo = mid;
      else hi = mid;
    }
    longest = lo;
  }
  const explainsExcess = new Map<number, boolean>();
  for (const b of balances(history)) {
    if (b.observed === null || b.observed <= b.max) continue;
    const unpaid = holds.filter(
      (o) =>
        !o.pays.some(mayHaveApplied) &&
        !o.cancels.some((c) => c.klass === "ok") &&
        unitsOf(acceptedReserve(o) as Observation, b.sku) > 0,
    );
    const units = unpaid.reduce((n, o) => n + unitsOf(acceptedReserve(o) as Observation, b.sku), 0);
    if (b.observed - b.max <= units && (!oversold || explainsOversell)) explainsExcess.set(b.sku, true);
  }
  if (refusals.size === 0 && !explainsOversell && explainsExcess.size === 0) return null;

  const seen: string[] = [];
  if (refusals.size > 0) seen.push(`${refusals.size} pays or cancels were refused with an expiry code`);
  if (explainsOversell)
    seen.push("more reservations were accepted than stock existed unless earlier holds were released");
  if (explainsExcess.size > 0) seen.push("final stock is above what accepted cancels explain");
  const upper = Math.min(refusedAfter, longest ?? Number.POSITIVE_INFINITY);
  const delay =
    upper === Number.POSITIVE_INFINITY
      ? keptFor > 0
        ? ` after more than ${formatDuration(Math.round(keptFor))}`
        : ""
      : keptFor > 0
        ? ` after between ${formatDuration(Math.round(keptFor))} and ${formatDuration(Math.round(upper))}`
        : ` within about ${formatDuration(Math.round(upper))} of being taken`;
  const declare = "declare the server's hold TTL with --hold-ttl DURATION (or given.holdTtl in the scenario)";
  const stockOnly = refusals.size === 0 && !explainsOversell;
  if (stockOnly)
    return {
      message: `final stock is above what accepted cancels explain, by no more than the holds left unpaid: either the server releases unpaid holds (a hold TTL), or the final stock was not read right after these requests (the stock changed since, --target names another server, the histories come from different runs, or --final-stock states another value); the run cannot tell these apart — not judged, not failed`,
      fix: `if the server releases holds, ${declare}; if not, read the final stock right after the requests from the server they went to (run again, or check --target before other traffic reaches it), or state the value measured then with --final-stock`,
      stockOnly,
      explainsOversell,
      explainsExcess,
      refusals,
    };
  return {
    message: `holds appear to expire${delay}: ${seen.join("; ")}. Declare the server's hold TTL with --hold-ttl DURATION (given.holdTtl in a scenario file) to judge it; not judged, not failed`,
    fix: `${declare} and run again`,
    stockOnly,
    explainsOversell,
    explainsExcess,
    refusals,
  };
}

export { holdExpiry };
