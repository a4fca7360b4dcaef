import { once } from "node:events";
import { createWriteStream } from "node:fs";
import type { Observation, PhaseRun, RunResult } from "../scenario/runner.js";
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

export function headerOf(result: RunResult, meta: HistoryMeta): HistoryHeader {
  return {
    t: "history",
    format: historyFormat,
    version: historyVersion,
    scenario: result.scenario.name,
    target: result.target,
    runId: result.runId,
    shard: meta.shard,
    startedAt: new Date(meta.epochWallMs).toISOString(),
    epochWallMs: meta.epochWallMs,
    clock: meta.clock,
    startAt: meta.startAt,
    speed: result.speed,
    source: "stockproof",
  };
}

/**
 * Writes a run's history as JSON Lines, one record at a time through a file stream (waiting when
 * the stream's buffer is full), so a large history never becomes one string in memory.
 */
export async function writeHistory(path: string, result: RunResult, meta: HistoryMeta): Promise<void> {
  const out = createWriteStream(path, { encoding: "utf8" });
  const failed = once(out, "error").then(([error]) => {
    throw error;
  });
  failed.catch(() => {});
  const write = async (record: unknown) => {
    if (!out.write(`${JSON.stringify(record)}\n`)) await Promise.race([once(out, "drain"), failed]);
  };
  await write(headerOf(result, meta));
  for (const phase of result.phases) {
    for (const o of phase.observations) await write(observationRecord(o));
    await write(phaseRecord(phase));
  }
  const end: EndRecord = {
    t: "end",
    wallMs: result.wallMs,
    timedOut: result.timedOut,
    setupError: result.setupError,
    stopped: result.stopped,
    notes: result.notes,
  };
  await write(end);
  out.end();
  await Promise.race([once(out, "finish"), failed]);
}
