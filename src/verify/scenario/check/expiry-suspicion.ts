/**
 * @module
 * Whether a run shows holds that expire although no TTL was declared, and the evidence for it.
 */

import { formatDuration } from "../../../base/config/duration.js";
import type { Observation } from "../runner.js";
import { namesExpiry } from "./expiry-window.js";
import { acceptedReserve, type PhaseHistory, unitsOf } from "./history.js";
import { balances, judgeOversell } from "./stock.js";
import { isRefusal, mayHaveApplied } from "./types.js";

const end = (o: Observation) => o.endedAt ?? Number.POSITIVE_INFINITY;

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
  /** The longest TTL the evidence allows, in ms: holds seem released within it; null when unbounded. */
  readonly withinMs: number | null;
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
      withinMs: null,
    };
  return {
    message: `holds appear to expire${delay}: ${seen.join("; ")}. Declare the server's hold TTL with --hold-ttl DURATION (given.holdTtl in a scenario file) to judge it; not judged, not failed`,
    fix: `${declare} and run again`,
    stockOnly,
    explainsOversell,
    explainsExcess,
    refusals,
    withinMs: upper === Number.POSITIVE_INFINITY ? null : Math.round(upper),
  };
}
