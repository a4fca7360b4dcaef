/**
 * @module
 * The window in which a reservation's hold may be released, from its send, answer, TTL and grace.
 */

import type { Observation } from "../runner.js";
import type { HoldExpiry } from "../types.js";

/** When a hold may be released: never before `opens`, always by `closes` (ms since the run started). */
export interface ReleaseWindow {
  readonly opens: number;
  readonly closes: number;
}

/**
 * The release window of the hold a reservation took. The server took it somewhere between the
 * request's send and its answer, so the window is [sent + ttl − tolerance, answered + ttl + grace].
 */
export function releaseWindow(ttl: HoldExpiry, reserve: Observation): ReleaseWindow {
  const sent = reserve.sentAt ?? 0;
  const answered = reserve.endedAt ?? Number.POSITIVE_INFINITY;
  return { opens: sent + ttl.ttlMs - ttl.toleranceMs, closes: answered + ttl.ttlMs + ttl.graceMs };
}

/** Refusal codes that name an expiry (ORDER_EXPIRED, HOLD_EXPIRED, RESERVATION_EXPIRED, …). */
export const namesExpiry = (o: Observation) => /EXPIR/i.test(o.outcome);
