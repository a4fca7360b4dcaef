/**
 * @module
 * The instant by which every hold the histories recorded has had its release window close.
 */

import type { Scenario } from "../scenario/types.js";
import type { History } from "./format.js";

/**
 * The wall-clock instant (ms since 1970, on the target's clock as the histories estimate it) by
 * which every hold the histories recorded has had its release window close: the last reservation
 * answered, plus the TTL and grace, plus the skew bound. Null without a declared TTL, or when no
 * reservation was sent.
 */
export function holdsSettleWallMs(scenario: Scenario, histories: readonly History[], skewMs: number): number | null {
  if (scenario.holdTtl === null) return null;
  let last: number | null = null;
  for (const h of histories) {
    const epoch = h.header.epochWallMs + (h.header.clock?.offsetMs ?? 0);
    for (const rec of h.observations) {
      if (rec.k !== "reserve" || rec.s === null) continue;
      const at = epoch + (rec.e ?? rec.s);
      if (last === null || at > last) last = at;
    }
  }
  return last === null ? null : last + scenario.holdTtl.ttlMs + scenario.holdTtl.graceMs + skewMs;
}
