/**
 * @module
 * The test-control state beside the store (fault rules, request journal), with its parts re-exported.
 */

import { createFaultBook, type FaultBook } from "./fault-rules.js";
import { createJournal, type Journal } from "./journal.js";

export * from "./declared-answer.js";
export * from "./fault-rules.js";
export * from "./journal.js";
export * from "./prefer.js";

/** The state of the test-control features beside the store: fault rules and the request journal. */
export interface TestControl {
  readonly faults: FaultBook;
  readonly journal: Journal;
  /** Null when fault rules and the journal are kept; else why they are off (Prefer, stateless, still works). */
  readonly offBecause: string | null;
  /** Epoch milliseconds, the same clock as the service's. */
  readonly clock: () => number;
  /** What `POST /__admin/reset` does to them: no rule, an empty journal. */
  reset(): void;
}

export interface TestControlOptions {
  readonly clock?: () => number;
  readonly journalCapacity?: number;
  /** Why fault rules and the journal are off, e.g. "--workers 2"; absent, they are on. */
  readonly offBecause?: string;
}

export function createTestControl(options: TestControlOptions = {}): TestControl {
  const faults = createFaultBook();
  const journal = createJournal(options.journalCapacity);
  return {
    faults,
    journal,
    offBecause: options.offBecause ?? null,
    clock: options.clock ?? Date.now,
    reset() {
      faults.clear();
      journal.clear();
    },
  };
}
