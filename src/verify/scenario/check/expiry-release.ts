/**
 * @module
 * Narrows each hold's release to what the run observed, and the shortest pay gap it could have caught there.
 */

import type { Observation } from "../runner.js";
import type { HoldExpiry } from "../types.js";
import { namesExpiry } from "./expiry-window.js";
import { acceptedReserve, type PhaseHistory } from "./history.js";
import { isIndeterminate } from "./types.js";

/**
 * When the server released its holds: in ms after each hold was taken (the reservation's midpoint)
 * on the "hold" clock, a TTL kept per hold; in ms since the run started on the "run" clock, one sweep
 * releasing holds taken at different instants together.
 */
export interface ObservedRelease {
  readonly fromMs: number;
  readonly toMs: number;
  readonly clock: "hold" | "run";
}

/** The release a phase observed, and the shortest read-to-write gap its pays would have caught there. */
export interface ReleaseCoverage {
  readonly release: ObservedRelease;
  /**
   * The longest stretch of `release` with no pay sent during it (each pay measured on the release's
   * clock), ms: a pay whose server reads, waits at least this long, then writes with no guard straddles
   * the release wherever in `release` it fell. null: no pay was sent before the release.
   */
  readonly gapCaughtMs: number | null;
}

const answered = (o: Observation) => o.endedAt !== null && o.sentAt !== null && !isIndeterminate(o);

/**
 * Why the release the run observed, not the declared window: a pay with no state guard shows its
 * fault only when the server's release falls between its read and its write, and the declared window
 * (TTL − tolerance … TTL + grace, two seconds wide by default) is far wider than that. Under a
 * starved runner the pays bunch: they all still land inside the window, yet none was in flight at
 * the instant the server really released (seen: a server paying released holds passed 1 run in 3 on
 * a loaded host with 30 pays "across a release window").
 *
 * The run bounds the real release itself, as an offset from each hold's reservation (its midpoint:
 * the server took the hold somewhere between send and answer): a pay or cancel refused with an
 * expiry code was answered after its hold's release (an upper bound), a pay accepted was sent
 * before it (a lower bound: a server that accepts after release fails the class on the stock
 * anyway). Sweeps spread the releases of different holds, so the two bounds may cross; the interval
 * between them, whichever comes first, is where releases were seen to happen. A bound nobody gave
 * falls back to the declared window.
 *
 * The power is then stated as the shortest read-to-write gap the run could have caught: had the
 * release fallen at any instant of that interval, a pay was sent at most that long before it. Why
 * sends, not the pays' own flight: a correct server answers a pay in a millisecond or two, so its
 * pays' flight says nothing of what a slower, unguarded one would have met; the sends are the
 * runner's doing and hold for both. Measured with two CPU burners beside a server that pays
 * released holds after a 30 ms gateway call: runs that caught it had a gap of 0–27 ms, the two that
 * missed it 89 and 122 ms (pays bunched away from the release); a correct server, quiet, 10–21 ms.
 *
 * Why two clocks: measured from each hold, the pays are dense where a server keeping a TTL per hold
 * releases; a sweep that releases holds taken at different instants at one moment is met only by pays
 * sent just before that moment in run time. Holds taken 200 ms apart let pays 10 ms apart on the hold
 * clock leave 150 ms unsent on the run clock (expiry-power.test.ts). The audit is not told which kind
 * of server it drives, so the power is the longer of the two gaps, with that reading's release.
 */
export function releaseCoverage(history: PhaseHistory, ttl: HoldExpiry): ReleaseCoverage {
  const perHold = coverageOn("hold", history, ttl);
  const together = coverageOn("run", history, ttl);
  // The server's way of releasing is unknown: the power is what the weaker of the two readings caught.
  return weaker(perHold, together);
}

/**
 * The longer gap (null, no pay sent before the release, longest of all), with the release of the
 * reading that gave it; `a`'s release while the two agree to the ms the report prints, so the clock
 * named does not flip on microseconds.
 */
function weaker(a: ReleaseCoverage, b: ReleaseCoverage): ReleaseCoverage {
  if (a.gapCaughtMs === null || b.gapCaughtMs === null) return a.gapCaughtMs === null ? a : b;
  const gapCaughtMs = Math.max(a.gapCaughtMs, b.gapCaughtMs);
  return { release: Math.round(b.gapCaughtMs) > Math.round(a.gapCaughtMs) ? b.release : a.release, gapCaughtMs };
}

/**
 * The release bounded on one clock, and the longest stretch of it with no pay sent. On the "hold"
 * clock each pay and answer is measured from its own hold; on the "run" clock from the run's start,
 * and a bound nobody gave falls back to the declared windows of the earliest and latest holds.
 */
export function coverageOn(clock: ObservedRelease["clock"], history: PhaseHistory, ttl: HoldExpiry): ReleaseCoverage {
  let acceptedLatest = Number.NEGATIVE_INFINITY;
  let refusedEarliest = Number.POSITIVE_INFINITY;
  let opensEarliest = Number.POSITIVE_INFINITY;
  let closesLatest = Number.NEGATIVE_INFINITY;
  const sends: number[] = [];
  for (const order of history.orders.values()) {
    const hold = acceptedReserve(order);
    if (hold === undefined || hold.sentAt === null || hold.endedAt === null) continue;
    const taken = (hold.sentAt + hold.endedAt) / 2;
    const origin = clock === "hold" ? taken : 0;
    // The declared window, from the hold's midpoint on the hold clock: up to half a reservation wider.
    opensEarliest = Math.min(opensEarliest, hold.sentAt - origin + ttl.ttlMs - ttl.toleranceMs);
    closesLatest = Math.max(closesLatest, hold.endedAt - origin + ttl.ttlMs + ttl.graceMs);
    for (const o of order.cancels)
      if (answered(o) && namesExpiry(o)) refusedEarliest = Math.min(refusedEarliest, (o.endedAt as number) - origin);
    for (const o of order.pays) {
      if (!answered(o)) continue;
      const sent = (o.sentAt as number) - origin;
      sends.push(sent);
      if (namesExpiry(o)) refusedEarliest = Math.min(refusedEarliest, (o.endedAt as number) - origin);
      else if (o.klass === "ok") acceptedLatest = Math.max(acceptedLatest, sent);
    }
  }
  const lower = Number.isFinite(acceptedLatest) ? acceptedLatest : opensEarliest;
  const upper = Number.isFinite(refusedEarliest) ? refusedEarliest : closesLatest;
  if (!Number.isFinite(lower) || !Number.isFinite(upper))
    // No hold was taken: the declared window on the hold clock, with nothing sent in it.
    return {
      release: { fromMs: ttl.ttlMs - ttl.toleranceMs, toMs: ttl.ttlMs + ttl.graceMs, clock: "hold" },
      gapCaughtMs: null,
    };
  const release = { fromMs: Math.min(lower, upper), toMs: Math.max(lower, upper), clock };
  return { release, gapCaughtMs: longestUnsent(sends, release) };
}

/**
 * The longest time any instant of [from, to] lies after the latest send at or before it; null when
 * some instant has no send before it. Largest just before each send inside the interval, and at `to`.
 */
export function longestUnsent(sends: readonly number[], r: Pick<ObservedRelease, "fromMs" | "toMs">): number | null {
  const sorted = [...sends].sort((a, b) => a - b);
  let latest = Number.NEGATIVE_INFINITY;
  let longest = 0;
  for (const at of sorted) {
    if (at > r.toMs) break;
    if (at > r.fromMs) longest = Math.max(longest, at - latest);
    latest = at;
  }
  longest = Math.max(longest, r.toMs - latest);
  return Number.isFinite(longest) ? longest : null;
}
