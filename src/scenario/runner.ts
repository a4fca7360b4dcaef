import { cancelPath, payPath, reservePath } from "../client/paths.js";
import { defaultAdminKey } from "../config/defaults.js";
import { connectionCauses } from "../probe/transport-cause.js";
import { availableOnlySnapshot, createAdmin, type StockSnapshot } from "./admin.js";
import { classify, createTargetClient, type Exchange } from "./client.js";
import { createDeadline } from "./deadline.js";
import { declaredStockDiffers } from "./declared-stock.js";
import { newRunId } from "./ids.js";
import { createInFlightGate } from "./in-flight.js";
import { runModel } from "./model.js";
import { createPause, pauseUntil } from "./pause.js";
import { type PlannedRequest, type PlannedRound, planRun, requestsOf } from "./plan.js";
import { createReserveQueries, runDay } from "./request-params.js";
import type { Observation, PhaseRun, RunOptions, RunResult, TargetStopped } from "./run-result.js";
import { shardPhase, sleepUntil } from "./shard.js";
import { createTokenKeeper } from "./tokens.js";
import { defaultRunTimeout, drive, poolSize } from "./traffic.js";
import { holdExpiry, type Scenario } from "./types.js";

export type {
  Observation,
  PhaseRun,
  Progress,
  RecordingOptions,
  RunOptions,
  RunResult,
  RunStart,
  TargetStopped,
} from "./run-result.js";

/** The scenario with the hold TTL and grace of the options applied. */
export function withHoldTtl(scenario: Scenario, options: Pick<RunOptions, "holdTtlMs" | "expiryGraceMs">): Scenario {
  if (options.holdTtlMs === "never") return { ...scenario, holdTtl: null, holdsNeverExpire: true };
  const ttlMs = options.holdTtlMs ?? scenario.holdTtl?.ttlMs;
  if (ttlMs === undefined) return scenario;
  const graceMs = options.expiryGraceMs ?? (options.holdTtlMs === undefined ? scenario.holdTtl?.graceMs : undefined);
  return { ...scenario, holdTtl: holdExpiry(ttlMs, graceMs) };
}

const notSent = (request: PlannedRequest): Observation => ({
  request,
  sentAt: null,
  endedAt: null,
  status: null,
  outcome: "NOT_SENT",
  klass: "not-sent",
  detail: null,
});

/**
 * Runs a scenario against a target over real HTTP and returns everything observed, with the
 * model's prediction alongside. It judges nothing: `checkRun` does.
 */
export async function runScenario(given: Scenario, options: RunOptions): Promise<RunResult> {
  const scenario = withHoldTtl(given, options);
  const speed = options.speed ?? 1;
  if (!(speed > 0)) throw new Error(`--speed must be a positive number (got ${speed})`);
  const runId = newRunId();
  const startedAt = new Date();
  const epoch = performance.now();
  const fullPlan = planRun(scenario, runId);
  const selected =
    options.phase === undefined ? fullPlan.phases : fullPlan.phases.filter((p) => p.phase.name === options.phase);
  if (selected.length === 0) {
    const names = scenario.phases.map((p) => p.name).join(", ");
    throw new Error(`The scenario has no phase "${options.phase}"; its phases are: ${names}`);
  }
  const shard = options.shard;
  const phasesToRun = shard === undefined ? selected : selected.map((p) => shardPhase(p, shard));
  const model = runModel(scenario, fullPlan);
  options.onStart?.({ scenario, target: options.target, runId, startedAt: startedAt.toISOString(), speed });
  const notes: string[] = [];
  const runTimeoutMs = options.runTimeoutMs ?? scenario.limits.runTimeoutMs ?? defaultRunTimeout(scenario, speed);
  // One signal stops the run: its time bound, or the target stopping (a run of connection failures).
  // The bound is for the traffic: the wait for --start-at pushes it back.
  const deadline = createDeadline(runTimeoutMs);
  deadline.extend((options.startAt ?? 0) - Date.now());
  let stopped: TargetStopped | null = null;
  const stopAfter = options.stopAfterConnectionFailures ?? 20;
  let streak: { atMs: number; outcomes: Map<string, number>; count: number; detail: string } | null = null;
  // The operator's stop ends the run as its time bound does, and is told apart from it.
  let interrupted: string | null = null;
  const interrupt = () => {
    interrupted = String(options.interrupt?.reason ?? "interrupted");
    deadline.abort();
  };
  if (options.interrupt?.aborted) interrupt();
  else options.interrupt?.addEventListener("abort", interrupt, { once: true });
  // Waits between steps and for holds to expire: they end when the run stops.
  const pause = createPause(deadline.signal);

  const client = createTargetClient({
    baseUrl: options.target,
    connections: poolSize(scenario, phasesToRun),
    requestTimeoutMs: options.requestTimeoutMs ?? scenario.limits.requestTimeoutMs,
    signal: deadline.signal,
    epoch,
  });
  // The pool's connections, plus a few ready for each one that frees: every request prepared and
  // waiting in the pool's queue is one more request's state that outlives a young-generation GC
  // (audit --scale 50: 2 × 4096 peaked 589/597 MB RSS, 4096 + 256 490/518 MB, in equal time).
  const pool = poolSize(scenario, phasesToRun);
  const inFlightLimit = pool + Math.min(pool, 256);
  const gate = createInFlightGate(inFlightLimit);
  const adminKey = options.adminKey === undefined ? defaultAdminKey : options.adminKey;
  const admin = adminKey === null ? null : createAdmin(client, adminKey);
  const tokens = createTokenKeeper(client, scenario.client);
  const phases: PhaseRun[] = [];
  let setupError: string | null = null;
  let stockObservation: RunResult["stockObservation"] =
    admin === null && options.readStock === undefined ? "none" : "snapshot";

  const finish = async (): Promise<RunResult> => {
    deadline.clear();
    options.interrupt?.removeEventListener("abort", interrupt);
    if (interrupted !== null)
      notes.push(
        `The run was interrupted (${interrupted}) ${(client.now() / 1000).toFixed(1)} s in: no request was sent after it, those in flight were aborted.`,
      );
    await client.close();
    return {
      scenario,
      target: options.target,
      runId,
      startedAt: startedAt.toISOString(),
      wallMs: performance.now() - epoch,
      speed,
      model,
      phases,
      stockObservation,
      setupError,
      timedOut: deadline.signal.aborted && stopped === null && interrupted === null,
      stopped,
      interrupted,
      notes,
    };
  };

  try {
    for (const user of scenario.users) if (interrupted === null) await tokens.token(user);
  } catch (error) {
    // A login cut short by the operator's stop is not a set-up that failed.
    if (interrupted === null) setupError = (error as Error).message;
    return finish();
  }

  const reserveQueryOf = createReserveQueries(scenario, runDay(startedAt));
  let failures = 0;
  const leads = (shard?.index ?? 0) === 0;
  for (const planned of phasesToRun) {
    if (interrupted !== null) break;
    const startsFromGiven = planned.index === 0 || planned.phase.restock;
    if (scenario.stockSetup === "admin" && startsFromGiven && leads) {
      if (admin === null) {
        setupError =
          "The scenario sets stock through the test-control API (given.stock: admin) but no admin key was given; pass --admin-key, or set the stock yourself and declare it (given.stock: declared).";
        return finish();
      }
      const set = await admin.setStock(scenario.skus);
      if (!set.ok) {
        setupError = set.error;
        return finish();
      }
    } else if (scenario.stockSetup === "declared" && startsFromGiven && leads && options.setStock !== undefined) {
      const failed = await options.setStock(planned.phase.name);
      if (failed !== null) {
        setupError = failed;
        return finish();
      }
    } else if (scenario.stockSetup === "declared" && startsFromGiven && planned !== phasesToRun[0]) {
      notes.push(
        `Phase "${planned.phase.name}" should start from the given stock, but the stock is declared: run each phase on its own with --phase after setting the stock.`,
      );
    }
    let before: StockSnapshot | null = null;
    if (admin !== null && stockObservation === "snapshot" && leads) {
      const snap = await admin.snapshot(scenario.skus.map((s) => s.productStockId));
      if (snap.ok) before = snap.value;
      else {
        stockObservation = "none";
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
          setupError = differs;
          return finish();
        }
        before = availableOnlySnapshot(read.value, client.now());
      }
    }
    // A reduce, not Math.max(...rounds): spreading hundreds of thousands of arguments overflows the stack.
    const width = planned.rounds.reduce((w, r) => r.steps.reduce((m, s) => Math.max(m, s.length), w), 0);
    const releaseAt = planned === phasesToRun[0] ? options.startAt : undefined;
    // Idle keep-alive sockets close after a few seconds: open them just before the agreed instant.
    if (releaseAt !== undefined) await sleepUntil(releaseAt - 1_500);
    if (planned.phase.traffic.shape === "burst") {
      await client.warm(Math.min(4096, planned.rounds.length * width), options.warmPath ?? "/");
    }
    if (releaseAt !== undefined) await sleepUntil(releaseAt);
    const total = requestsOf(planned).length;
    const observations: Observation[] = [];
    const phaseStart = client.now();
    const record = (request: PlannedRequest, exchange: Exchange) => {
      const { outcome, klass } = classify(exchange);
      const failed = klass === "5xx" || klass === "timeout" || klass === "network" || klass === "aborted";
      if (failed) failures++;
      if (exchange.cause !== null && connectionCauses.has(exchange.cause)) {
        streak ??= { atMs: exchange.sentAt, outcomes: new Map(), count: 0, detail: exchange.message ?? outcome };
        streak.count++;
        streak.outcomes.set(outcome, (streak.outcomes.get(outcome) ?? 0) + 1);
        if (streak.count >= stopAfter && stopped === null) {
          const outcomes = [...streak.outcomes].sort((a, b) => b[1] - a[1]).map(([o, n]) => `${o} ×${n}`);
          stopped = {
            atMs: streak.atMs,
            outcome: outcomes.join(", "),
            consecutive: streak.count,
            detail: streak.detail,
          };
          deadline.abort();
        }
      } else if (exchange.status !== null) streak = null;
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
        failures,
        elapsedMs: client.now() - phaseStart,
      });
    };
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
    const spreadMs = await drive(
      planned,
      runRound,
      speed,
      deadline.signal,
      Math.ceil(inFlightLimit / Math.max(1, width)),
    );
    const endedAt = client.now();
    // A rate the target could not keep up with changes what was tested: say so, with both figures.
    if (spreadMs !== null && spreadMs > 0 && !deadline.signal.aborted && endedAt - phaseStart > spreadMs * 1.5 + 1000) {
      const took = (endedAt - phaseStart) / 1000;
      notes.push(
        `Phase "${planned.phase.name}" was to spread its ${planned.rounds.length} rounds over ${(spreadMs / 1000).toFixed(1)} s (×${speed}), and took ${took.toFixed(1)} s: the target answered too slowly for that schedule${planned.phase.traffic.maxInFlight === null ? "" : ` with at most ${planned.phase.traffic.maxInFlight} rounds in flight`}, so ${(planned.rounds.length / took).toFixed(1)} rounds/s were sent, not ${(planned.rounds.length / (spreadMs / 1000)).toFixed(1)}.`,
      );
    }
    // Part of the protocol, not a synchronisation sleep: with a declared TTL, final stock is only
    // defined once every hold's release window has closed.
    if (scenario.holdTtl !== null) {
      // A reduce, not Math.max(...observations): the same stack limit as the width above.
      const lastHold = observations.reduce(
        (m, o) => (o.request.kind === "reserve" ? Math.max(m, o.endedAt ?? client.now()) : m),
        0,
      );
      const settled = lastHold + scenario.holdTtl.ttlMs + scenario.holdTtl.graceMs;
      deadline.extend(settled - client.now());
      await pauseUntil(pause, deadline.signal, settled, client.now);
    }
    const settledAt = client.now();
    const sent = new Set(observations.map((o) => o.request.seq));
    for (const request of requestsOf(planned)) {
      if (sent.has(request.seq)) continue;
      const never = notSent(request);
      observations.push(never);
      options.onObservation?.(never);
    }
    observations.sort((a, b) => a.request.seq - b.request.seq);

    let after: StockSnapshot | null = null;
    if (admin !== null && stockObservation === "snapshot" && !deadline.signal.aborted) {
      const snap = await admin.snapshot(scenario.skus.map((s) => s.productStockId));
      if (snap.ok) after = snap.value;
      else notes.push(snap.error);
    }
    if (admin === null && options.readStock !== undefined && leads && !deadline.signal.aborted) {
      const read = await options.readStock();
      if (read.ok) after = availableOnlySnapshot(read.value, client.now());
      else notes.push(`${read.error} Final stock after phase "${planned.phase.name}" is not observed.`);
    }
    const phaseRun: PhaseRun = {
      index: planned.index,
      name: planned.phase.name,
      traffic: planned.phase.traffic,
      spreadMs,
      startedAt: phaseStart,
      endedAt,
      settledAt,
      before,
      after,
      observations,
    };
    phases.push(phaseRun);
    options.onPhase?.(phaseRun);
    if (stopped !== null) break;
    if (interrupted !== null) break;
    if (deadline.signal.aborted) {
      notes.push(`The run was cut off after ${runTimeoutMs} ms (its time bound); requests in flight were aborted.`);
      break;
    }
  }
  return finish();
}
