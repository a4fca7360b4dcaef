/**
 * @module
 * Durations as flags spell them (500ms, 30s, 1d): parsing, ranges per flag, and the shortest spelling back.
 */

import { UsageError } from "./errors.js";

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses "500ms", "30s", "15m", "2h" or "1d" into milliseconds; a bare 0 needs no unit. */
export function parseDuration(text: string): number {
  if (/^\s*0+(?:\.0+)?\s*$/.test(text)) return 0;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (match === null) throw new Error(`Not a duration: "${text}" (use e.g. 500ms, 30s, 15m, 2h)`);
  return Math.round(Number(match[1]) * (units[match[2] as string] as number));
}

/** The durations a flag accepts, both ends included. */
export interface DurationRange {
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * A hold expires at now + TTL, and that instant is sent as an RFC 3339 date-time: an unbounded TTL
 * overflows Date (the order is committed, then its response cannot be written). Thirty days is far
 * past any checkout. Below 100 ms a hold lapses before a client's next request can pay it.
 */
export const holdTtlRange: DurationRange = { minMs: 100, maxMs: 30 * 86_400_000 };

/** Client timeouts become Node timers, which fire at once for anything above 2^31 − 1 ms (≈ 24.8 days). */
export const clientTimeoutRange: DurationRange = { minMs: 1, maxMs: 24 * 86_400_000 };

/** `--hold-ttl`: a duration in holdTtlRange, or "never" (the target keeps unpaid holds for ever). */
export function parseHoldTtlFlag(flag: string, text: string): number | "never" {
  if (text.trim().toLowerCase() === "never") return "never";
  return parseDurationFlag(flag, text, holdTtlRange);
}

/** How long a store read through --snapshot may lag: 0 (read directly) to ten minutes. */
export const readLagRange: DurationRange = { minMs: 0, maxMs: 600_000 };

/** The shortest spelling of a whole number of milliseconds: 86400000 → "1d", 100 → "100ms". */
export function formatDuration(ms: number): string {
  for (const unit of ["d", "h", "m", "s"] as const) {
    const size = units[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

/** Parses a duration flag and checks its range; the message names the flag, the value and the range. */
export function parseDurationFlag(flag: string, text: string, range: DurationRange): number {
  const allowed = `from ${formatDuration(range.minMs)} to ${formatDuration(range.maxMs)}`;
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    throw new UsageError(`${flag} must be a duration ${allowed}, e.g. 500ms, 30s, 15m, 2h (got "${text}")`);
  }
  if (!(ms >= range.minMs && ms <= range.maxMs)) {
    throw new UsageError(`${flag} must be a duration ${allowed} (got "${text}")`);
  }
  return ms;
}
