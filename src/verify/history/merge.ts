/**
 * @module
 * Merges several histories of one scenario onto one timeline, widening each interval by the clock-skew bound.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import type { StockSnapshot } from "../scenario/admin.js";
import { newRunId } from "../scenario/ids.js";
import { runModel } from "../scenario/model.js";
import { type Plan, type PlannedPhase, planRun, requestsOf } from "../scenario/plan.js";
import { notSent } from "../scenario/run-phase.js";
import type { Observation, PhaseRun, RunResult } from "../scenario/runner.js";
import { isSerial, type Scenario } from "../scenario/types.js";
import type { History } from "./format.js";
import { type MatchedRecords, matchRecords } from "./merge-records.js";
import { recordedSends } from "./recorded-sends.js";
import { missingShards } from "./shard-set.js";

export interface MergeOptions {
  /**
   * How far any writer's corrected clock may be from the reference, in ms; every request's interval
   * is widened by it on both sides. Default: the largest uncertainty the histories recorded, or 0
   * for a single history (one clock orders its own requests).
   */
  readonly clockSkewMs?: number;
  /** Available units per SKU after the last phase, observed or stated after every writer finished. */
  readonly finalStock?: { readonly snapshot: StockSnapshot; readonly how: string };
  readonly target?: string;
}

export interface ClockBound {
  readonly boundMs: number;
  /** Where the bound came from, as the report states it. */
  readonly source: string;
}

export interface Merged {
  readonly result: RunResult;
  readonly clock: ClockBound;
}

/** The bound used to widen intervals: the user's, else the recorded estimates'. */
export function clockBound(histories: readonly History[], clockSkewMs: number | undefined): Result<ClockBound, string> {
  if (clockSkewMs !== undefined) return ok({ boundMs: clockSkewMs, source: "--clock-skew" });
  if (histories.length === 1) return ok({ boundMs: 0, source: "one history, one clock" });
  const missing = histories.filter((h) => h.header.clock === null).map((h) => h.file);
  if (missing.length > 0)
    return err(
      `${missing.join(", ")} recorded no clock estimate, so the skew between the histories is unknown: pass --clock-skew with a bound you trust (e.g. --clock-skew 50ms for NTP-synced hosts, 0 for processes on one machine).`,
    );
  const worst = histories.reduce((m, h) => Math.max(m, h.header.clock?.uncertaintyMs ?? 0), 0);
  const sources = [...new Set(histories.map((h) => h.header.clock?.source ?? ""))].join("; ");
  return ok({ boundMs: Math.ceil(worst), source: `largest recorded clock uncertainty (${sources})` });
}

/**
 * Builds one RunResult from several histories of one scenario (shards, or an engine's results), on
 * one timeline: each writer's times are moved onto the reference clock with its recorded offset,
 * then every interval is widened by the skew bound, so no verdict rests on an order the clocks
 * cannot vouch for. Each record is matched to the scenario's plan by (phase, round, case); its own
 * paymentOrderId and user are kept. Planned requests no history recorded count as never sent.
 */
export function mergeHistories(
  scenario: Scenario,
  histories: readonly History[],
  options: MergeOptions = {},
): Result<Merged, string> {
  const refused = refusedHistories(scenario, histories);
  if (refused !== null) return err(refused);
  const bound = clockBound(histories, options.clockSkewMs);
  if (!bound.ok) return bound;
  const skew = bound.value.boundMs;
  const fullPlan = planRun(scenario, newRunId(), recordedSends(scenario, histories));
  const model = runModel(scenario, fullPlan);
  const plan = recordedPhases(fullPlan, histories);
  // One timeline: the earliest corrected epoch is 0.
  const epochs = histories.map((h) => h.header.epochWallMs + (h.header.clock?.offsetMs ?? 0));
  const base = Math.min(...epochs);
  const shifts = epochs.map((e) => e - base);
  const matched = matchRecords(scenario, histories, plan, fullPlan.requestCount, { shifts, skew });
  if (!matched.ok) return matched;
  const { byPhase, seen } = matched.value;
  const notes: string[] = [];
  if (histories.length > 1 || skew > 0)
    notes.push(
      `Clock skew bound ±${skew} ms (${bound.value.source}): every request's interval is widened by it, so no verdict rests on an order the clocks cannot vouch for.`,
    );
  const lastEnd = Math.max(0, ...[...byPhase.values()].map(endOf));
  const timeline: Timeline = { scenario, histories, plan, byPhase, seen, shifts, skew, notes };
  const phases: PhaseRun[] = plan.phases.map((p) => mergedPhase(timeline, p));
  noteFinalStock(timeline, phases, options.finalStock);
  notes.push(...histories.flatMap((h) => (h.end?.notes ?? []).map((n) => `${h.file}: ${n}`)));
  // Engines' results carry no end record: the run lasted at least until its last answer.
  const wallMs = Math.max(lastEnd, ...histories.map((h, i) => (h.end?.wallMs ?? 0) + (shifts[i] as number)));
  return ok({
    clock: bound.value,
    result: {
      scenario,
      target: options.target ?? [...new Set(histories.map((h) => h.header.target))].join(", "),
      runId: [...new Set(histories.map((h) => h.header.runId))].join("+"),
      startedAt: new Date(base).toISOString(),
      wallMs,
      speed: histories[0]?.header.speed ?? 1,
      model,
      phases,
      stockObservation: phases.some((p) => p.before !== null || p.after !== null) ? "snapshot" : "none",
      ...howRunsEnded(histories, shifts),
      notes,
    },
  });
}

/** Why these histories cannot be merged (none given, another scenario's, shards missing), or null. */
function refusedHistories(scenario: Scenario, histories: readonly History[]): string | null {
  if (histories.length === 0) return "No history to check: pass at least one --history file.";
  const foreign = histories.filter((h) => h.header.scenario !== scenario.name);
  if (foreign.length > 0)
    return `${foreign.map((h) => `${h.file} records scenario "${h.header.scenario}"`).join("; ")}, not "${scenario.name}": check each scenario's histories with that scenario.`;
  return missingShards(histories);
}

/** The plan's phases some history recorded (a header's phase or a record's). */
function recordedPhases(fullPlan: Plan, histories: readonly History[]): Plan {
  const phaseIndexes = new Set<number>();
  for (const h of histories) {
    for (const p of h.phases) phaseIndexes.add(p.index);
    for (const o of h.observations) phaseIndexes.add(o.ph);
  }
  return { ...fullPlan, phases: fullPlan.phases.filter((p) => phaseIndexes.has(p.index)) };
}

/** The histories' records on one timeline, and what building each phase from them needs. */
interface Timeline extends MatchedRecords {
  readonly scenario: Scenario;
  readonly histories: readonly History[];
  readonly plan: Plan;
  readonly shifts: readonly number[];
  readonly skew: number;
  readonly notes: string[];
}

/** One phase's record from every history's share of it; planned requests none recorded count as never sent. */
function mergedPhase(timeline: Timeline, p: PlannedPhase): PhaseRun {
  const { scenario, histories, plan, byPhase, seen, shifts, skew, notes } = timeline;
  const list = byPhase.get(p.index) ?? [];
  for (const r of requestsOf(p)) {
    if (seen[r.seq] === 0) list.push(notSent(r));
  }
  list.sort((a, b) => a.request.seq - b.request.seq);
  const records = histories.flatMap((h, i) =>
    h.phases.filter((r) => r.index === p.index).map((r) => ({ r, shift: shifts[i] as number })),
  );
  const before = records.find((x) => x.r.before !== null)?.r.before ?? null;
  // A writer's own after-snapshot counts only when it was certainly taken after every request of
  // the phase ended (with a declared TTL, after every hold's release window closed: expiry judges
  // the stock as of the instant it was read) and before any request of a later phase was sent;
  // the merged timeline places that instant no more exactly than the skew bound.
  const settledBy = Math.max(endOf(list), holdsSettle(scenario, list));
  const nextSent = plan.phases
    .filter((q) => q.index > p.index)
    .reduce((m, q) => Math.min(m, firstSentOf(byPhase.get(q.index) ?? [])), Number.POSITIVE_INFINITY);
  const inWindow = (takenAt: number, shift: number) =>
    takenAt + shift - skew >= settledBy && takenAt + shift + skew <= nextSent;
  const after =
    records
      .filter((x) => x.r.after !== null && inWindow(x.r.after?.takenAt ?? 0, x.shift))
      .map((x) => x.r.after)
      .at(-1) ?? null;
  if (after === null && records.some((x) => x.r.after !== null))
    notes.push(
      `Phase "${p.phase.name}": no history's own snapshot after it was certainly taken after its last request${scenario.holdTtl === null ? "" : " and every hold's release window"} and before the next phase; it is not used, so the phase's final stock is not observed.`,
    );
  // Histories written side by side overlap in time, whatever each one's own shape: never judged step by step.
  const traffic =
    histories.length > 1 && isSerial(p.phase.traffic)
      ? { ...p.phase.traffic, shape: "concurrency" as const, concurrency: histories.length, maxInFlight: null }
      : p.phase.traffic;
  return {
    index: p.index,
    name: p.phase.name,
    traffic,
    spreadMs: records.find((x) => x.r.spreadMs !== null)?.r.spreadMs ?? null,
    startedAt: list.reduce(
      (m, o) => Math.min(m, o.sentAt ?? m),
      Math.min(...records.map((x) => x.r.startedAt + x.shift)),
    ),
    endedAt: list.reduce((m, o) => Math.max(m, o.endedAt ?? m), Math.max(...records.map((x) => x.r.endedAt + x.shift))),
    before,
    after,
    // Taken once every window had closed: as far as expiry goes, the stock of "ever after".
    ...(after !== null && scenario.holdTtl !== null ? { settledAt: Number.POSITIVE_INFINITY } : {}),
    observations: list,
  };
}

/** Puts a measured or stated final stock on the last phase, and says where the final stock came from. */
function noteFinalStock(
  { scenario, histories, notes }: Timeline,
  phases: PhaseRun[],
  finalStock: MergeOptions["finalStock"],
): void {
  const last = phases.at(-1);
  if (finalStock !== undefined && last !== undefined) {
    phases[phases.length - 1] = finalPhase(scenario, last, finalStock);
    notes.push(`Final stock: ${finalStock.how}.`);
  } else if (last !== undefined && last.after !== null) {
    notes.push("Final stock: the snapshot a history's writer took once every request had ended.");
  } else if (histories.length > 1 && last !== undefined && last.after === null) {
    notes.push(
      "No final stock taken after every history ended: conservation is not judged. Pass --final-stock, --snapshot, --probe or --target with the test-control API.",
    );
  }
}

/** How the writers' runs ended: cut off, a set-up that failed, a target that stopped answering. */
function howRunsEnded(
  histories: readonly History[],
  shifts: readonly number[],
): Pick<RunResult, "setupError" | "timedOut" | "stopped"> {
  const setupErrors = histories.flatMap((h) => (h.end?.setupError ? [`${h.file}: ${h.end.setupError}`] : []));
  return {
    setupError: setupErrors.length === 0 ? null : setupErrors.join("; "),
    timedOut: histories.some((h) => h.end?.timedOut === true),
    // One writer's target stopping answering stops the judgement of all: the first one recorded.
    stopped:
      histories
        .map((h, i) => {
          const s = h.end?.stopped ?? null;
          return s === null ? null : { ...s, atMs: s.atMs + (shifts[i] as number) };
        })
        .find((s) => s !== null) ?? null,
  };
}

/**
 * When every hold of the phase has certainly been released, if it was not paid: the latest
 * reservation's answer (already widened by the skew bound) plus the TTL and grace. 0 without a TTL.
 */
export function holdsSettle(scenario: Scenario, observations: readonly Observation[]): number {
  if (scenario.holdTtl === null) return 0;
  let last = 0;
  for (const o of observations)
    if (o.request.kind === "reserve" && o.sentAt !== null) last = Math.max(last, o.endedAt ?? Number.POSITIVE_INFINITY);
  return last + scenario.holdTtl.ttlMs + scenario.holdTtl.graceMs;
}

/**
 * The last phase with the final stock measured or stated after every history ended. With a
 * declared TTL it stands for the stock once every release window has closed (`check` waits for
 * that before measuring; a stated stock must have been measured after it), so expiry judges every
 * unpaid hold as released.
 */
function finalPhase(scenario: Scenario, last: PhaseRun, finalStock: NonNullable<MergeOptions["finalStock"]>): PhaseRun {
  return {
    ...last,
    after: finalStock.snapshot,
    ...(scenario.holdTtl === null ? {} : { settledAt: Number.POSITIVE_INFINITY }),
  };
}

/** When the last request of a phase ended (0 for none). */
function endOf(list: readonly Observation[]): number {
  let last = 0;
  for (const o of list) if (o.endedAt !== null && o.endedAt > last) last = o.endedAt;
  return last;
}

/** When the first request of a phase was sent (infinity for none). */
function firstSentOf(list: readonly Observation[]): number {
  let first = Number.POSITIVE_INFINITY;
  for (const o of list) if (o.sentAt !== null && o.sentAt < first) first = o.sentAt;
  return first;
}
