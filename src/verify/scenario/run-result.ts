/**
 * @module
 * What a run returns: options, observations per planned request, phases and how the target stopped.
 */

import type { StockSnapshot } from "./admin.js";
import type { OutcomeClass } from "./client.js";
import type { ModelRun } from "./model.js";
import type { PlannedRequest } from "./plan.js";
import type { Shard } from "./shard.js";
import type { Scenario, Traffic } from "./types.js";

// What a run is given and what it observed: the records the checker, the reports and the history files read.

export interface RunOptions {
  /** Base URL of the server under test. */
  readonly target: string;
  /** Key of the test-control API; null when the target has none. Default: stockproof-admin. */
  readonly adminKey?: string | null;
  /** rate traffic: compress time by this factor (2 = twice as fast). */
  readonly speed?: number;
  readonly requestTimeoutMs?: number;
  /** The whole run is cut off after this long. */
  readonly runTimeoutMs?: number;
  /** Run only the phase with this name. */
  readonly phase?: string;
  /** Requests used to open connections before a burst (GET of this path). */
  readonly warmPath?: string;
  /** Connection failures in a row (refused, reset, DNS, TLS) after which the target counts as stopped. Default 20. */
  readonly stopAfterConnectionFailures?: number;
  readonly onProgress?: (progress: Progress) => void;
  /** Called once before the first request (after the plan is made), with what a history's header needs. */
  readonly onStart?: (start: RunStart) => void;
  /**
   * Called with each observation as its answer arrives, and at a phase's end with each of its
   * requests never sent; a history streamed to disk during the run is written from these.
   */
  readonly onObservation?: (observation: Observation) => void;
  /** Called with each phase's record once it ends (after its stock snapshot). */
  readonly onPhase?: (phase: PhaseRun) => void;
  /** Send only this generator's share of the rounds; shard 0 alone sets the stock. */
  readonly shard?: Shard;
  /** Wall-clock instant (ms since 1970) at which the first phase's traffic is released. */
  readonly startAt?: number;
  /** The target releases unpaid holds this long after taking them (overrides given.holdTtl); "never": it keeps them. */
  readonly holdTtlMs?: number | "never";
  /** How much later than the TTL it may release them (overrides given.expiryGrace). */
  readonly expiryGraceMs?: number;
  /**
   * The operator's stop (Ctrl-C, a CI timeout's SIGTERM): when it aborts, no request is sent any
   * more, those in flight are aborted and the run returns what was observed; its reason (the
   * signal's name) is the result's `interrupted`.
   */
  readonly interrupt?: AbortSignal;
  /**
   * The target's own way of setting stock (--setup): called before each phase that starts from the
   * given stock when the stock is declared; returns why it failed, or null.
   */
  readonly setStock?: (phase: string) => Promise<string | null>;
  /**
   * The target's own way of reading available stock per SKU (--snapshot), used when there is no
   * test-control API: before each phase (stock that is not the declared one stops the run, NOT
   * JUDGED) and after it (final stock).
   */
  readonly readStock?: () => Promise<{ ok: true; value: ReadonlyMap<number, number> } | { ok: false; error: string }>;
}

/** What a recording wrapper adds to a run's options: the shard, the start instant, a history's hooks. */
export type RecordingOptions = Pick<RunOptions, "shard" | "startAt" | "onStart" | "onObservation" | "onPhase">;

/** What is known of a run before its first request. */
export interface RunStart {
  readonly scenario: Scenario;
  readonly target: string;
  readonly runId: string;
  /** ISO time of the run's epoch. */
  readonly startedAt: string;
  readonly speed: number;
}

export interface Progress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly failures: number;
  readonly elapsedMs: number;
}

/** One planned request and what the target answered. */
export interface Observation {
  readonly request: PlannedRequest;
  /** Milliseconds since the run started; null when never sent. */
  readonly sentAt: number | null;
  readonly endedAt: number | null;
  readonly status: number | null;
  readonly outcome: string;
  readonly klass: OutcomeClass;
  /** For 5xx, timeouts and network errors: the start of the body or the error. */
  readonly detail: string | null;
}

export interface PhaseRun {
  readonly index: number;
  readonly name: string;
  readonly traffic: Traffic;
  /** Milliseconds the rounds of a rate phase are spread over, after --speed. */
  readonly spreadMs: number | null;
  readonly startedAt: number;
  readonly endedAt: number;
  /**
   * When final stock may be observed: the phase's end, or with a declared hold TTL the instant every
   * hold's release window has closed (last reservation answered + ttl + grace).
   */
  readonly settledAt?: number;
  readonly before: StockSnapshot | null;
  readonly after: StockSnapshot | null;
  /** Indexed like the plan: every planned request of the phase. */
  readonly observations: readonly Observation[];
}

export interface RunResult {
  readonly scenario: Scenario;
  readonly target: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly wallMs: number;
  readonly speed: number;
  readonly model: ModelRun;
  readonly phases: readonly PhaseRun[];
  /** How final stock was observed. */
  readonly stockObservation: "snapshot" | "none";
  /** Set when the run could not be carried out (setup failed, login failed). */
  readonly setupError: string | null;
  readonly timedOut: boolean;
  /** Set when the target stopped answering mid-run and the run was stopped with it. */
  readonly stopped: TargetStopped | null;
  /** Set when the operator stopped the run (RunOptions.interrupt): what stopped it, e.g. "SIGINT". */
  readonly interrupted?: string | null;
  readonly notes: readonly string[];
}

/** The target stopped answering: a run of connection failures with no answer in between. */
export interface TargetStopped {
  /** Milliseconds since the run started, at the first failure of the run. */
  readonly atMs: number;
  /** The outcomes of those failures with their counts, e.g. "CONNECTION_REFUSED ×19, CONNECTION_RESET ×1". */
  readonly outcome: string;
  readonly consecutive: number;
  readonly detail: string;
}

/**
 * The run's traffic time: each phase from its first request to its last answer. Not wallMs, which
 * also holds logging in, setting stock and waiting for --start-at; the rate is over this time too.
 */
export function trafficMs(result: Pick<RunResult, "phases">): number {
  return result.phases.reduce((s, p) => s + (p.endedAt - p.startedAt), 0);
}
