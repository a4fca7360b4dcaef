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
  /** Epoch milliseconds, the same clock as the service's. */
  readonly clock: () => number;
  /** What `POST /__admin/reset` does to them: no rule, an empty journal. */
  reset(): void;
}

export interface TestControlOptions {
  readonly clock?: () => number;
  readonly journalCapacity?: number;
}

export function createTestControl(options: TestControlOptions = {}): TestControl {
  const faults = createFaultBook();
  const journal = createJournal(options.journalCapacity);
  return {
    faults,
    journal,
    clock: options.clock ?? Date.now,
    reset() {
      faults.clear();
      journal.clear();
    },
  };
}
