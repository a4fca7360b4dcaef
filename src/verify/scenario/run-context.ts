/** What every step of one run shares: the scenario, the options, the parts it drives and what it has found so far. */
import type { Admin } from "./admin.js";
import type { TargetClient } from "./client.js";
import type { createDeadline } from "./deadline.js";
import type { createPause } from "./pause.js";
import type { PlannedRequest } from "./plan.js";
import type { PhaseRun, RunOptions, RunResult, TargetStopped } from "./run-result.js";
import type { TokenKeeper } from "./tokens.js";
import type { Scenario } from "./types.js";

/** A run of connection failures in a row, the evidence that the target stopped. */
export interface FailureStreak {
  atMs: number;
  outcomes: Map<string, number>;
  count: number;
  detail: string;
}

/** What a run learns as it goes; every step reads and writes the same one. */
export interface RunState {
  setupError: string | null;
  stockObservation: RunResult["stockObservation"];
  stopped: TargetStopped | null;
  /** The operator's stop ends the run as its time bound does, and is told apart from it. */
  interrupted: string | null;
  streak: FailureStreak | null;
  /** 5xx, timeouts, network errors and aborts so far, over every phase (for the progress line). */
  failures: number;
}

export interface RunContext {
  readonly scenario: Scenario;
  readonly options: RunOptions;
  readonly speed: number;
  readonly client: TargetClient;
  readonly deadline: ReturnType<typeof createDeadline>;
  /** Waits between steps and for holds to expire: they end when the run stops. */
  readonly pause: ReturnType<typeof createPause>;
  readonly admin: Admin | null;
  readonly tokens: TokenKeeper;
  /** Requests prepared or in flight at once. */
  readonly inFlightLimit: number;
  /** Shard 0 (or the only generator): it alone sets and reads the stock. */
  readonly leads: boolean;
  readonly reserveQueryOf: (request: PlannedRequest) => string;
  readonly notes: string[];
  readonly phases: PhaseRun[];
  readonly state: RunState;
}
