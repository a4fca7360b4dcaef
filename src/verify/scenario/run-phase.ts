/** One phase of a run: its stock set and read, its traffic sent and recorded, its holds left to expire. */
import { cancelPath, payPath, reservePath } from "../client/paths.js";
import { connectionCauses } from "../probe/transport-cause.js";
import { availableOnlySnapshot, type StockSnapshot } from "./admin.js";
import { classify, type Exchange } from "./client.js";
import { declaredStockDiffers } from "./declared-stock.js";
import { createInFlightGate } from "./in-flight.js";
import { pauseUntil } from "./pause.js";
import { type PlannedPhase, type PlannedRequest, type PlannedRound, requestsOf } from "./plan.js";
import type { RunContext } from "./run-context.js";
import type { Observation, PhaseRun } from "./run-result.js";
import { sleepUntil } from "./shard.js";
import { drive } from "./traffic.js";

/** A planned request that was never sent, as every record of a run shows it. */
export const notSent = (request: PlannedRequest): Observation => ({
  request,
  sentAt: null,
  endedAt: null,
  status: null,
  outcome: "NOT_SENT",
  klass: "not-sent",
  detail: null,
});

/**
 * Runs one phase and returns its record, or null when its set-up failed (the run's setupError
 * says why and the run ends there). `first`: the first phase this run sends.
 */
export async function runPhase(ctx: RunContext, planned: PlannedPhase, first: boolean): Promise<PhaseRun | null> {
  const startsFromGiven = planned.index === 0 || planned.phase.restock;
  if (!(await setPhaseStock(ctx, planned, startsFromGiven, first))) return null;
  const before = await stockBefore(ctx, planned, startsFromGiven);
  if (before === "stop") return null;
  // A reduce, not Math.max(...rounds): spreading hundreds of thousands of arguments overflows the stack.
  const width = planned.rounds.reduce((w, r) => r.steps.reduce((m, s) => Math.max(m, s.length), w), 0);
  await release(ctx, planned, width, first ? ctx.options.startAt : undefined);
  const observations: Observation[] = [];
  const phaseStart = ctx.client.now();
  const spreadMs = await sendTraffic(ctx, planned, width, createRecorder(ctx, planned, observations, phaseStart));
  const endedAt = ctx.client.now();
  noteSlowSchedule(ctx, planned, spreadMs, endedAt - phaseStart);
  await awaitReleaseWindows(ctx, observations);
  const settledAt = ctx.client.now();
  addNotSent(ctx, planned, observations);
  return {
    index: planned.index,
    name: planned.phase.name,
    traffic: planned.phase.traffic,
    spreadMs,
    startedAt: phaseStart,
    endedAt,
    settledAt,
    before,
    after: await stockAfter(ctx, planned),
    observations,
  };
}

/** Sets the given stock before a phase that starts from it (admin API or --setup); false when that failed. */
async function setPhaseStock(
  { scenario, options, admin, leads, notes, state }: RunContext,
  planned: PlannedPhase,
  startsFromGiven: boolean,
  first: boolean,
): Promise<boolean> {
  if (scenario.stockSetup === "admin" && startsFromGiven && leads) {
    if (admin === null) {
      state.setupError =
        "The scenario sets stock through the test-control API (given.stock: admin) but no admin key was given; pass --admin-key, or set the stock yourself and declare it (given.stock: declared).";
      return false;
    }
    const set = await admin.setStock(scenario.skus);
    if (!set.ok) {
      state.setupError = set.error;
      return false;
    }
  } else if (scenario.stockSetup === "declared" && startsFromGiven && leads && options.setStock !== undefined) {
    const failed = await options.setStock(planned.phase.name);
    if (failed !== null) {
      state.setupError = failed;
      return false;
    }
  } else if (scenario.stockSetup === "declared" && startsFromGiven && !first) {
    notes.push(
      `Phase "${planned.phase.name}" should start from the given stock, but the stock is declared: run each phase on its own with --phase after setting the stock.`,
    );
  }
  return true;
}

/** The stock before the phase (admin snapshot or --snapshot); "stop" when --snapshot shows stock that is not the declared one. */
async function stockBefore(
  { scenario, options, admin, client, leads, notes, state }: RunContext,
  planned: PlannedPhase,
  startsFromGiven: boolean,
): Promise<StockSnapshot | null | "stop"> {
  let before: StockSnapshot | null = null;
  if (admin !== null && state.stockObservation === "snapshot" && leads) {
    const snap = await admin.snapshot(scenario.skus.map((s) => s.productStockId));
    if (snap.ok) before = snap.value;
    else {
      state.stockObservation = "none";
      notes.push(`${snap.error} Final stock is not observed; conservation is not checked.`);
    }
  }
  if (admin === null && options.readStock !== undefined && leads) {
    const read = await options.readStock();
    if (!read.ok) notes.push(`${read.error} The stock before phase "${planned.phase.name}" is not observed.`);
    else {
      const differs = startsFromGiven
        ? declaredStockDiffers(scenario, planned.phase.name, read.value, "--snapshot")
        : null;
      if (differs !== null) {
        state.setupError = differs;
        return "stop";
      }
      before = availableOnlySnapshot(read.value, client.now());
    }
  }
  return before;
}

/** Waits for --start-at (when given), opening a burst's connections just before it. */
async function release(
  { client, options }: RunContext,
  planned: PlannedPhase,
  width: number,
  releaseAt: number | undefined,
): Promise<void> {
  // Idle keep-alive sockets close after a few seconds: open them just before the agreed instant.
  if (releaseAt !== undefined) await sleepUntil(releaseAt - 1_500);
  if (planned.phase.traffic.shape === "burst") {
    await client.warm(Math.min(4096, planned.rounds.length * width), options.warmPath ?? "/");
  }
  if (releaseAt !== undefined) await sleepUntil(releaseAt);
}

type Record = (request: PlannedRequest, exchange: Exchange) => void;

/** Records each answer as an observation, counts failures and stops the run after a streak of connection failures. */
function createRecorder(
  { options, client, deadline, state }: RunContext,
  planned: PlannedPhase,
  observations: Observation[],
  phaseStart: number,
): Record {
  const total = requestsOf(planned).length;
  const stopAfter = options.stopAfterConnectionFailures ?? 20;
  return (request, exchange) => {
    const { outcome, klass } = classify(exchange);
    const failed = klass === "5xx" || klass === "timeout" || klass === "network" || klass === "aborted";
    if (failed) state.failures++;
    if (exchange.cause !== null && connectionCauses.has(exchange.cause)) {
      state.streak ??= { atMs: exchange.sentAt, outcomes: new Map(), count: 0, detail: exchange.message ?? outcome };
      const streak = state.streak;
      streak.count++;
      streak.outcomes.set(outcome, (streak.outcomes.get(outcome) ?? 0) + 1);
      if (streak.count >= stopAfter && state.stopped === null) {
        const outcomes = [...streak.outcomes].sort((a, b) => b[1] - a[1]).map(([o, n]) => `${o} ×${n}`);
        state.stopped = {
          atMs: streak.atMs,
          outcome: outcomes.join(", "),
          consecutive: streak.count,
          detail: streak.detail,
        };
        deadline.abort();
      }
    } else if (exchange.status !== null) state.streak = null;
    const observation: Observation = {
      request,
      sentAt: exchange.sentAt,
      endedAt: exchange.endedAt,
      status: exchange.status,
      outcome,
      klass,
      detail: failed ? (exchange.message ?? exchange.body.slice(0, 300)) : null,
    };
    observations.push(observation);
    options.onObservation?.(observation);
    options.onProgress?.({
      phase: planned.phase.name,
      done: observations.length,
      total,
      failures: state.failures,
      elapsedMs: client.now() - phaseStart,
    });
  };
}

/** Sends the phase's rounds on its schedule through the in-flight gate; returns the schedule's spread (ms). */
async function sendTraffic(ctx: RunContext, planned: PlannedPhase, width: number, record: Record) {
  const { scenario, options, client, deadline, pause, tokens, reserveQueryOf } = ctx;
  const gate = createInFlightGate(ctx.inFlightLimit);
  const sendOne = (request: PlannedRequest) => gate(() => sendNow(request));
  const sendNow = async (request: PlannedRequest) => {
    if (deadline.signal.aborted) return;
    const token = tokens.ready(request.user) ?? (await tokens.token(request.user).catch(() => ""));
    const auth = { authorization: `Bearer ${token}`, accept: "application/json" };
    const id = request.paymentOrderId;
    const exchange =
      request.kind === "reserve"
        ? await client.send("GET", reservePath(reserveQueryOf(request)), auth)
        : request.kind === "pay"
          ? await client.send("GET", payPath(id), auth)
          : await client.send("DELETE", cancelPath(id), auth);
    record(request, exchange);
  };
  const runRound = async (round: PlannedRound) => {
    for (const [i, step] of round.steps.entries()) {
      const wait = round.waits[i] ?? 0;
      // A wait the scenario declares, and the step after it, stay inside the bound.
      if (wait > 0) deadline.atLeast(wait + (options.requestTimeoutMs ?? scenario.limits.requestTimeoutMs));
      await pause(wait);
      await Promise.all(step.map(sendOne));
    }
  };
  // A burst's barrier releases its first wave of requests within one turn of the event loop; the
  // sockets hold their writes until the whole wave is written, so it leaves in one run of writes,
  // not one write after each request's preparation.
  if (planned.phase.traffic.shape === "burst") client.holdWrites();
  // Enough rounds under way to keep the gate full, and no more.
  return drive(planned, runRound, ctx.speed, deadline.signal, Math.ceil(ctx.inFlightLimit / Math.max(1, width)));
}

/** A rate the target could not keep up with changes what was tested: say so, with both figures. */
function noteSlowSchedule(
  { deadline, notes, speed }: RunContext,
  planned: PlannedPhase,
  spreadMs: number | null,
  tookMs: number,
): void {
  if (spreadMs !== null && spreadMs > 0 && !deadline.signal.aborted && tookMs > spreadMs * 1.5 + 1000) {
    const took = tookMs / 1000;
    notes.push(
      `Phase "${planned.phase.name}" was to spread its ${planned.rounds.length} rounds over ${(spreadMs / 1000).toFixed(1)} s (×${speed}), and took ${took.toFixed(1)} s: the target answered too slowly for that schedule${planned.phase.traffic.maxInFlight === null ? "" : ` with at most ${planned.phase.traffic.maxInFlight} rounds in flight`}, so ${(planned.rounds.length / took).toFixed(1)} rounds/s were sent, not ${(planned.rounds.length / (spreadMs / 1000)).toFixed(1)}.`,
    );
  }
}

/**
 * Part of the protocol, not a synchronisation sleep: with a declared TTL, final stock is only
 * defined once every hold's release window has closed.
 */
async function awaitReleaseWindows(
  { scenario, client, deadline, pause }: RunContext,
  observations: readonly Observation[],
): Promise<void> {
  if (scenario.holdTtl === null) return;
  // A reduce, not Math.max(...observations): the same stack limit as a phase's width.
  const lastHold = observations.reduce(
    (m, o) => (o.request.kind === "reserve" ? Math.max(m, o.endedAt ?? client.now()) : m),
    0,
  );
  const settled = lastHold + scenario.holdTtl.ttlMs + scenario.holdTtl.graceMs;
  deadline.extend(settled - client.now());
  await pauseUntil(pause, deadline.signal, settled, client.now);
}

/** Each planned request never sent becomes a NOT_SENT observation; the phase's observations end in plan order. */
function addNotSent({ options }: RunContext, planned: PlannedPhase, observations: Observation[]): void {
  const sent = new Set(observations.map((o) => o.request.seq));
  for (const request of requestsOf(planned)) {
    if (sent.has(request.seq)) continue;
    const never = notSent(request);
    observations.push(never);
    options.onObservation?.(never);
  }
  observations.sort((a, b) => a.request.seq - b.request.seq);
}

/** The stock after the phase (admin snapshot or --snapshot), unless the run was cut off. */
async function stockAfter(
  { scenario, options, admin, client, deadline, leads, notes, state }: RunContext,
  planned: PlannedPhase,
): Promise<StockSnapshot | null> {
  let after: StockSnapshot | null = null;
  if (admin !== null && state.stockObservation === "snapshot" && !deadline.signal.aborted) {
    const snap = await admin.snapshot(scenario.skus.map((s) => s.productStockId));
    if (snap.ok) after = snap.value;
    else notes.push(snap.error);
  }
  if (admin === null && options.readStock !== undefined && leads && !deadline.signal.aborted) {
    const read = await options.readStock();
    if (read.ok) after = availableOnlySnapshot(read.value, client.now());
    else notes.push(`${read.error} Final stock after phase "${planned.phase.name}" is not observed.`);
  }
  return after;
}
