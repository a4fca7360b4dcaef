/**
 * @module
 * Narrows each hold's release to what the run observed, and the shortest pay gap it could have caught there.
 */

import type { Observation } from "../runner.js";
import type { HoldExpiry } from "../types.js";
import { namesExpiry } from "./expiry-window.js";
import { acceptedReserve, type PhaseHistory } from "./history.js";
import { isIndeterminate } from "./types.js";

/** When the server released its holds, in ms after each hold was taken (the reservation's midpoint). */
export interface ObservedRelease {
  readonly fromMs: number;
  readonly toMs: number;
}

/** The release a phase observed, and the shortest read-to-write gap its pays would have caught there. */
export interface ReleaseCoverage {
  readonly release: ObservedRelease;
  /**
   * The longest stretch of `release` with no pay sent during it (each pay measured from its own
   * hold), ms: a pay whose server reads, waits at least this long, then writes with no guard straddles
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
 */
export function releaseCoverage(history: PhaseHistory, ttl: HoldExpiry): ReleaseCoverage {
  let acceptedLatest = Number.NEGATIVE_INFINITY;
  let refusedEarliest = Number.POSITIVE_INFINITY;
  let halfBefore = 0;
  let halfAfter = 0;
  const sends: number[] = [];
  for (const order of history.orders.values()) {
    const hold = acceptedReserve(order);
    if (hold === undefined || hold.sentAt === null || hold.endedAt === null) continue;
    const taken = (hold.sentAt + hold.endedAt) / 2;
    halfBefore = Math.max(halfBefore, taken - hold.sentAt);
    halfAfter = Math.max(halfAfter, hold.endedAt - taken);
    for (const o of order.cancels)
      if (answered(o) && namesExpiry(o)) refusedEarliest = Math.min(refusedEarliest, (o.endedAt as number) - taken);
    for (const o of order.pays) {
      if (!answered(o)) continue;
      const sent = (o.sentAt as number) - taken;
      sends.push(sent);
      if (namesExpiry(o)) refusedEarliest = Math.min(refusedEarliest, (o.endedAt as number) - taken);
      else if (o.klass === "ok") acceptedLatest = Math.max(acceptedLatest, sent);
    }
  }
  // The declared window, from each hold's midpoint: it opens up to half a reservation earlier.
  const lower = Number.isFinite(acceptedLatest) ? acceptedLatest : ttl.ttlMs - ttl.toleranceMs - halfBefore;
  const upper = Number.isFinite(refusedEarliest) ? refusedEarliest : ttl.ttlMs + ttl.graceMs + halfAfter;
  const release = { fromMs: Math.min(lower, upper), toMs: Math.max(lower, upper) };
  return { release, gapCaughtMs: longestUnsent(sends, release) };
}

/**
 * The longest time any instant of [from, to] lies after the latest send at or before it; null when
 * some instant has no send before it. Largest just before each send inside the interval, and at `to`.
 */
export function longestUnsent(sends: readonly number[], r: ObservedRelease): number | null {
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
