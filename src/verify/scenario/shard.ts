/** `--shard i/N` and `--start-at`: one generator's share of a scenario's rounds, released at one agreed instant. */
import type { PlannedPhase } from "./plan.js";

export interface Shard {
  /** From 0 (Kubernetes' JOB_COMPLETION_INDEX counts the same way). */
  readonly index: number;
  readonly count: number;
}

/** Parses `--shard i/N` (i from 0 to N−1); throws a message naming the flag and the fix. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || !(count >= 1) || !(index < count))
    throw new Error(
      `--shard must be i/N with 0 ≤ i < N, e.g. --shard 0/3 for the first of three generators (got "${text}")`,
    );
  return { index, count };
}

/** Parses `--start-at` (an ISO 8601 instant with its zone, e.g. 2026-05-01T10:00:00Z) to ms since 1970. */
export function parseStartAt(text: string): number {
  const at = /(Z|[+-]\d\d:?\d\d)$/.test(text.trim()) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(at))
    throw new Error(
      `--start-at must be an ISO 8601 instant with its time zone, e.g. 2026-05-01T10:00:00Z (got "${text}")`,
    );
  return at;
}

/** This shard's share of a phase: every N-th round, so the shards together send each round once. */
export function shardPhase(phase: PlannedPhase, shard: Shard): PlannedPhase {
  return { ...phase, rounds: phase.rounds.filter((r) => r.round % shard.count === shard.index) };
}

/** How far ahead `--start-at` may be: enough to start generators by hand, not a typo's year. */
export const startAtHorizonMs = 24 * 60 * 60 * 1000;

/** Refuses an instant more than {@link startAtHorizonMs} ahead; throws a message naming the flag, the value and the bound. */
export function boundStartAt(at: number, text: string, now: number = Date.now()): number {
  if (at - now > startAtHorizonMs)
    throw new Error(
      `--start-at ${text} is more than 24 h ahead (latest: ${new Date(now + startAtHorizonMs).toISOString()}): give every shard an instant a little in the future, e.g. a minute from now.`,
    );
  return at;
}

/** setTimeout's largest delay (2^31−1 ms, about 24.8 days); a longer one fires at once, with a warning. */
export const maxTimerMs = 2 ** 31 - 1;

/** Waits until the wall clock reads `at` (ms since 1970); returns at once when that has passed. */
export async function sleepUntil(at: number, now: () => number = Date.now): Promise<void> {
  for (;;) {
    const left = at - now();
    if (left <= 0) return;
    // Coarse timers first, then short ones: setTimeout may fire late, never early enough to matter.
    // A far instant waits in chunks a timer can hold.
    const wait = left > 50 ? Math.min(left - 20, maxTimerMs) : Math.max(1, left);
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
