/**
 * @module
 * The history file format: JSON Lines of a header, each observation, each phase and an end record.
 */

import type { StockSnapshot } from "../scenario/admin.js";
import type { OutcomeClass } from "../scenario/client.js";
import type { TargetStopped } from "../scenario/run-result.js";
import type { Traffic } from "../scenario/types.js";

/**
 * A history file: JSON Lines, one record a line, written as the run goes. The first line is the
 * header; then each observation as its answer arrived (not in plan order; a phase's requests that
 * were never sent at its end), and after each phase's observations, that phase's record; last, an
 * end record. A file without its end record is the prefix of a run that was stopped. Times are milliseconds on the writer's monotonic clock since its epoch; the header
 * says which wall-clock instant that epoch was, and how far that wall clock may be off.
 */
export const historyFormat = "stockproof-history";
export const historyVersion = 1;

/** How far the writer's wall clock is from the target's (or a shared reference's), and how sure. */
export interface ClockEstimate {
  /** Add to the writer's wall clock to get the reference's. */
  readonly offsetMs: number;
  /** The reference's time lies within offset ± this. */
  readonly uncertaintyMs: number;
  /** What it was measured against, e.g. "Date header of http://…". */
  readonly source: string;
}

export interface HistoryHeader {
  readonly t: "history";
  readonly format: typeof historyFormat;
  readonly version: number;
  readonly scenario: string;
  readonly target: string;
  readonly runId: string;
  readonly shard: { readonly index: number; readonly count: number };
  /** ISO time of the epoch on the writer's wall clock. */
  readonly startedAt: string;
  /** The epoch on the writer's wall clock, ms since 1970. */
  readonly epochWallMs: number;
  readonly clock: ClockEstimate | null;
  /** The instant every shard was told to release its traffic at, when one was given. */
  readonly startAt: string | null;
  readonly speed: number;
  /**
   * What the run planned, so `check` can tell a history from another plan (another --scale) and
   * judge expiry with the TTL the run was told (absent in files written before these were kept).
   */
  readonly plan?: {
    /** Rounds per phase, in phase order, after --scale. */
    readonly rounds: readonly number[];
    readonly holdTtl: { readonly ttlMs: number; readonly graceMs: number } | null;
  };
  /** Who wrote it: "stockproof", "k6", "jmeter". */
  readonly source: string;
}

/**
 * One request and its answer, compact: the plan position (phase, round, case) names what the
 * request was; the id and user say what was sent. Times are on the writer's clock (null: not sent).
 */
export interface ObservationRecord {
  readonly t: "obs";
  readonly ph: number;
  readonly r: number;
  readonly c: string;
  readonly k: "reserve" | "pay" | "cancel";
  readonly id: string;
  readonly u: string;
  readonly s: number | null;
  readonly e: number | null;
  readonly st: number | null;
  readonly o: string;
  readonly kl: OutcomeClass;
  readonly d?: string | null;
}

export interface PhaseRecord {
  readonly t: "phase";
  readonly index: number;
  readonly name: string;
  readonly traffic: Traffic;
  readonly spreadMs: number | null;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly before: StockSnapshot | null;
  readonly after: StockSnapshot | null;
}

export interface EndRecord {
  readonly t: "end";
  readonly wallMs: number;
  readonly timedOut: boolean;
  readonly setupError: string | null;
  /** Set when the run stopped because its target stopped answering (absent in older files). */
  readonly stopped?: TargetStopped | null;
  readonly notes: readonly string[];
}

export type HistoryRecord = HistoryHeader | ObservationRecord | PhaseRecord | EndRecord;

/** A history as read back: every record of one file. */
export interface History {
  readonly file: string;
  readonly header: HistoryHeader;
  readonly observations: readonly ObservationRecord[];
  readonly phases: readonly PhaseRecord[];
  readonly end: EndRecord | null;
  /**
   * Set when a stockproof history stops before its end record (the run that wrote it was killed,
   * or failed): what is missing. Such a prefix is never judged.
   */
  readonly incomplete?: string;
}
