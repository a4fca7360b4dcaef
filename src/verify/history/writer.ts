/**
 * @module
 * Streams a run's history to a file as the run goes: header, observations, phase records, end record.
 */

import { createWriteStream, openSync } from "node:fs";
import type { Observation, PhaseRun, RunResult } from "../scenario/run-result.js";
import {
  type ClockEstimate,
  type EndRecord,
  type HistoryHeader,
  historyFormat,
  historyVersion,
  type ObservationRecord,
  type PhaseRecord,
} from "./format.js";

/** The compact record of one observation. */
export function observationRecord(o: Observation): ObservationRecord {
  const round = (t: number | null) => (t === null ? null : Math.round(t * 1000) / 1000);
  return {
    t: "obs",
    ph: o.request.phase,
    r: o.request.round,
    c: o.request.caseName,
    k: o.request.kind,
    id: o.request.paymentOrderId,
    u: o.request.user.username,
    s: round(o.sentAt),
    e: round(o.endedAt),
    st: o.status,
    o: o.outcome,
    kl: o.klass,
    ...(o.detail === null ? {} : { d: o.detail }),
  };
}

export function phaseRecord(p: PhaseRun): PhaseRecord {
  return {
    t: "phase",
    index: p.index,
    name: p.name,
    traffic: p.traffic,
    spreadMs: p.spreadMs,
    startedAt: p.startedAt,
    endedAt: p.endedAt,
    before: p.before,
    after: p.after,
  };
}

export interface HistoryMeta {
  readonly shard: { readonly index: number; readonly count: number };
  readonly clock: ClockEstimate | null;
  readonly startAt: string | null;
  /** The epoch of the run's clock on this machine's wall clock (ms since 1970). */
  readonly epochWallMs: number;
}

/** What a history's header needs from the run: known before its first request. */
export type RunStart = Pick<RunResult, "scenario" | "target" | "runId" | "speed">;

export function headerOf(run: RunStart, meta: HistoryMeta): HistoryHeader {
  return {
    t: "history",
    format: historyFormat,
    version: historyVersion,
    scenario: run.scenario.name,
    target: run.target,
    runId: run.runId,
    shard: meta.shard,
    startedAt: new Date(meta.epochWallMs).toISOString(),
    epochWallMs: meta.epochWallMs,
    clock: meta.clock,
    startAt: meta.startAt,
    speed: run.speed,
    plan: {
      rounds: run.scenario.phases.map((p) => p.traffic.rounds),
      holdTtl:
        run.scenario.holdTtl === null
          ? null
          : { ttlMs: run.scenario.holdTtl.ttlMs, graceMs: run.scenario.holdTtl.graceMs },
    },
    source: "stockproof",
  };
}

export function endRecord(result: RunResult): EndRecord {
  return {
    t: "end",
    wallMs: result.wallMs,
    timedOut: result.timedOut,
    setupError: result.setupError,
    stopped: result.stopped,
    notes: result.notes,
  };
}

/** Lines are handed to the file in chunks of about this many characters, or sooner (see below). */
const chunkChars = 64 * 1024;
/** …and at least this often, so a run killed midway leaves all but its last moments on disk. */
const flushEveryMs = 250;

export interface HistoryWriter {
  readonly header: (header: HistoryHeader) => void;
  readonly observation: (o: Observation) => void;
  readonly phase: (p: PhaseRun) => void;
  /** Writes the end record and closes the file; rejects with the file's error if a write failed. */
  readonly end: (result: RunResult) => Promise<void>;
  /** Closes the file without an end record (the run failed): what was written stays, marked incomplete by its missing end. */
  readonly abandon: () => Promise<void>;
}

/**
 * Streams a run's history to a file as the run goes: the header before the first request, each
 * observation as its answer arrives, each phase's record when the phase ends, the end record last.
 * The file is opened at once, so a path that cannot be written fails before any traffic. Writes
 * never wait: lines are buffered in chunks and handed to the file stream, which a disk keeps up
 * with easily at a runner's rate (a record is ~250 bytes).
 */
export function createHistoryWriter(path: string): HistoryWriter {
  const out = createWriteStream(path, { fd: openSync(path, "w"), encoding: "utf8" });
  let failure: Error | null = null;
  out.on("error", (error) => {
    failure ??= error;
  });
  let lines: string[] = [];
  let chars = 0;
  const flush = () => {
    if (lines.length === 0 || failure !== null) return;
    out.write(lines.join(""));
    lines = [];
    chars = 0;
  };
  const timer = setInterval(flush, flushEveryMs);
  timer.unref();
  const line = (record: unknown) => {
    if (failure !== null) return; // said when the file is closed; the run goes on meanwhile
    const text = `${JSON.stringify(record)}\n`;
    lines.push(text);
    chars += text.length;
    if (chars >= chunkChars) flush();
  };
  const close = async () => {
    clearInterval(timer);
    flush();
    out.end();
    if (!out.writableFinished && failure === null)
      await new Promise<void>((resolve) => {
        out.once("finish", resolve);
        out.once("error", () => resolve());
      });
    if (failure !== null) throw new Error(`Cannot write the history ${path}: ${failure.message}`);
  };
  return {
    header: (header) => {
      line(header);
      flush();
    },
    observation: (o) => line(observationRecord(o)),
    phase: (p) => {
      line(phaseRecord(p));
      flush();
    },
    end: async (result) => {
      line(endRecord(result));
      await close();
    },
    abandon: close,
  };
}
