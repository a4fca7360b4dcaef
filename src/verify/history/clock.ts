/**
 * @module
 * Estimates this machine's clock offset from the target's Date header, each sample narrowing the bound.
 */

import type { ClockEstimate } from "./format.js";

export interface ClockSample {
  /** Local wall clock when the request left and when its answer arrived. */
  readonly sentAt: number;
  readonly receivedAt: number;
  /** The server's Date header, ms since 1970 (whole seconds). */
  readonly serverDate: number;
}

/**
 * Each sample bounds the offset (server − local): the server stamped its Date somewhere between
 * our send and receive, and truncated it to the second, so
 *   serverDate − receivedAt ≤ offset < serverDate + 1000 − sentAt.
 * Intersecting the samples narrows that to the spacing between them when they straddle a second
 * boundary; the estimate is the middle and the uncertainty half the width.
 */
export function offsetFromSamples(samples: readonly ClockSample[], source: string): ClockEstimate | null {
  if (samples.length === 0) return null;
  let lo = Number.NEGATIVE_INFINITY;
  let hi = Number.POSITIVE_INFINITY;
  for (const s of samples) {
    lo = Math.max(lo, s.serverDate - s.receivedAt);
    hi = Math.min(hi, s.serverDate + 1000 - s.sentAt);
  }
  // Inconsistent samples (the server's clock stepped): fall back to the widest single sample.
  if (lo > hi) {
    lo = Math.min(...samples.map((s) => s.serverDate - s.receivedAt));
    hi = Math.max(...samples.map((s) => s.serverDate + 1000 - s.sentAt));
  }
  return { offsetMs: (lo + hi) / 2, uncertaintyMs: Math.ceil((hi - lo) / 2), source };
}

export interface EstimateOptions {
  readonly samples?: number;
  /** Spacing between samples: spread over a second, some pair straddles a boundary of the Date header. */
  readonly spacingMs?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

/** Estimates this machine's clock offset from the target's `Date` header (RFC 9110 §6.6.1). */
export async function estimateClockOffset(
  target: string,
  options: EstimateOptions = {},
): Promise<ClockEstimate | null> {
  const count = options.samples ?? 8;
  const spacing = options.spacingMs ?? 137;
  const get = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const samples: ClockSample[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, spacing));
    const sentAt = now();
    try {
      const response = await get(new URL("/", target), { signal: AbortSignal.timeout(5_000) });
      const receivedAt = now();
      await response.arrayBuffer().catch(() => undefined);
      const date = Date.parse(response.headers.get("date") ?? "");
      if (Number.isFinite(date)) samples.push({ sentAt, receivedAt, serverDate: date });
    } catch {
      // A sample lost is a sample fewer; none at all means no estimate.
    }
  }
  return offsetFromSamples(samples, `Date header of ${target}`);
}
