/**
 * @module
 * The request journal: the last requests in memory, counting those it had to let go.
 */

import type { components } from "../generated/openapi.js";

export type JournalEntry = components["schemas"]["JournalEntry"];
export type RequestJournalBody = components["schemas"]["RequestJournal"];

/** An entry as recorded; `at` is epoch milliseconds until it is read. */
export type Recorded = Omit<JournalEntry, "at"> & { readonly atMs: number };

export interface Journal {
  readonly capacity: number;
  record(entry: Recorded): void;
  /** The entries that arrived at or after `sinceMs` (all when absent), oldest first. */
  read(sinceMs?: number): RequestJournalBody;
  clear(): void;
}

/** The default number of entries kept: enough for an e2e test's traffic, small enough to never matter. */
export const defaultJournalCapacity = 1000;

/**
 * The last `capacity` requests, in memory: a full journal lets the oldest entry go and counts it
 * in `dropped`, so a long-running server never grows.
 */
export function createJournal(capacity = defaultJournalCapacity): Journal {
  let entries: Recorded[] = [];
  let dropped = 0;
  return {
    capacity,
    record(entry) {
      entries.push(entry);
      // Trimmed in batches: one splice per capacity/10 entries instead of a shift per request.
      if (entries.length > capacity + Math.ceil(capacity / 10)) {
        const over = entries.length - capacity;
        entries.splice(0, over);
        dropped += over;
      }
    },
    read(sinceMs) {
      const over = Math.max(0, entries.length - capacity);
      const kept = entries.slice(over);
      return {
        capacity,
        dropped: dropped + over,
        requests: kept
          .filter((e) => sinceMs === undefined || e.atMs >= sinceMs)
          .map(({ atMs, ...rest }) => ({ at: new Date(atMs).toISOString(), ...rest })),
      };
    },
    clear() {
      entries = [];
      dropped = 0;
    },
  };
}
