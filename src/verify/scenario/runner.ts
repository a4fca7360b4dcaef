/**
 * @module
 * Runs a scenario against a target over real HTTP and returns everything observed beside the model's prediction.
 */

import { defaultAdminKey } from "../../base/config/defaults.js";
import { createAdmin } from "./admin.js";
import { createTargetClient } from "./client.js";
import { createDeadline } from "./deadline.js";
import { newRunId } from "./ids.js";
import { runModel } from "./model.js";
import { createPause } from "./pause.js";
import { type Plan, type PlannedPhase, planRun } from "./plan.js";
import { createReserveQueries, runDay } from "./request-params.js";
import type { RunContext, RunState } from "./run-context.js";
import { runPhase } from "./run-phase.js";
import type { RunOptions, RunResult } from "./run-result.js";
import { shardPhase } from "./shard.js";
import { createTokenKeeper } from "./tokens.js";
import { defaultRunTimeout, poolSize } from "./traffic.js";
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
  const phasesToRun = phasesOf(scenario, fullPlan, options);
  const model = runModel(scenario, fullPlan);
  options.onStart?.({ scenario, target: options.target, runId, startedAt: startedAt.toISOString(), speed });
  const runTimeoutMs = options.runTimeoutMs ?? scenario.limits.runTimeoutMs ?? defaultRunTimeout(scenario, speed);
  // One signal stops the run: its time bound, or the target stopping (a run of connection failures).
  // The bound is for the traffic: the wait for --start-at pushes it back.
  const deadline = createDeadline(runTimeoutMs);
  deadline.extend((options.startAt ?? 0) - Date.now());
  const state = initialState(options);
  const stopListening = listenForInterrupt(options, deadline, state);
  const ctx = startRun(scenario, options, deadline, state, { speed, epoch, startedAt, phasesToRun });
  const finish = async (): Promise<RunResult> => {
    stopListening();
    return finishRun(ctx, { runId, startedAt, epoch, model });
  };
  if (!(await logIn(ctx))) return finish();
  for (const planned of phasesToRun) {
    if (ctx.state.interrupted !== null) break;
    const phaseRun = await runPhase(ctx, planned, planned === phasesToRun[0]);
    if (phaseRun === null) return finish();
    ctx.phases.push(phaseRun);
    options.onPhase?.(phaseRun);
    if (ctx.state.stopped !== null) break;
    if (ctx.state.interrupted !== null) break;
    if (ctx.deadline.signal.aborted) {
      ctx.notes.push(`The run was cut off after ${runTimeoutMs} ms (its time bound); requests in flight were aborted.`);
      break;
    }
  }
  return finish();
}

/** The phases this run sends: --phase's one (or all), this generator's share of each under --shard. */
function phasesOf(scenario: Scenario, plan: Plan, options: RunOptions): readonly PlannedPhase[] {
  const selected =
    options.phase === undefined ? plan.phases : plan.phases.filter((p) => p.phase.name === options.phase);
  if (selected.length === 0) {
    const names = scenario.phases.map((p) => p.name).join(", ");
    throw new Error(`The scenario has no phase "${options.phase}"; its phases are: ${names}`);
  }
  const shard = options.shard;
  return shard === undefined ? selected : selected.map((p) => shardPhase(p, shard));
}

/** The parts one run drives: its deadline, HTTP client, admin API and token keeper, sized for its phases. */
function startRun(
  scenario: Scenario,
  options: RunOptions,
  deadline: RunContext["deadline"],
  state: RunState,
  run: {
    speed: number;
    epoch: number;
    startedAt: Date;
    phasesToRun: readonly PlannedPhase[];
  },
): RunContext {
  const pause = createPause(deadline.signal);
  const client = createTargetClient({
    baseUrl: options.target,
    connections: poolSize(scenario, run.phasesToRun),
    requestTimeoutMs: options.requestTimeoutMs ?? scenario.limits.requestTimeoutMs,
    signal: deadline.signal,
    epoch: run.epoch,
  });
  // The pool's connections, plus a few ready for each one that frees: every request prepared and
  // waiting in the pool's queue is one more request's state that outlives a young-generation GC
  // (audit --scale 50: 2 × 4096 peaked 589/597 MB RSS, 4096 + 256 490/518 MB, in equal time).
  const pool = poolSize(scenario, run.phasesToRun);
  const adminKey = options.adminKey === undefined ? defaultAdminKey : options.adminKey;
  const admin = adminKey === null ? null : createAdmin(client, adminKey);
  return {
    scenario,
    options,
    speed: run.speed,
    client,
    deadline,
    pause,
    admin,
    tokens: createTokenKeeper(client, scenario.client),
    inFlightLimit: pool + Math.min(pool, 256),
    leads: (options.shard?.index ?? 0) === 0,
    reserveQueryOf: createReserveQueries(scenario, runDay(run.startedAt)),
    notes: [],
    phases: [],
    state,
  };
}

/** Nothing found yet; the stock is observed when there is an admin key or a --snapshot. */
function initialState(options: RunOptions): RunState {
  return {
    setupError: null,
    stockObservation: options.adminKey === null && options.readStock === undefined ? "none" : "snapshot",
    stopped: null,
    interrupted: null,
    streak: null,
    failures: 0,
  };
}

/** The operator's stop ends the run as its time bound does, and is told apart from it; returns the detach. */
function listenForInterrupt(options: RunOptions, deadline: RunContext["deadline"], state: RunState): () => void {
  const interrupt = () => {
    state.interrupted = String(options.interrupt?.reason ?? "interrupted");
    deadline.abort();
  };
  if (options.interrupt?.aborted) interrupt();
  else options.interrupt?.addEventListener("abort", interrupt, { once: true });
  return () => options.interrupt?.removeEventListener("abort", interrupt);
}

/** Logs every user in before any traffic; false when a login failed (the run's set-up error). */
async function logIn({ scenario, tokens, state }: RunContext): Promise<boolean> {
  try {
    for (const user of scenario.users) if (state.interrupted === null) await tokens.token(user);
    return true;
  } catch (error) {
    // A login cut short by the operator's stop is not a set-up that failed.
    if (state.interrupted === null) state.setupError = (error as Error).message;
    return false;
  }
}

/** Stops the clock and the client, and gathers what the run observed. */
async function finishRun(
  { scenario, options, speed, client, deadline, notes, phases, state }: RunContext,
  run: { runId: string; startedAt: Date; epoch: number; model: RunResult["model"] },
): Promise<RunResult> {
  deadline.clear();
  if (state.interrupted !== null)
    notes.push(
      `The run was interrupted (${state.interrupted}) ${(client.now() / 1000).toFixed(1)} s in: no request was sent after it, those in flight were aborted.`,
    );
  await client.close();
  return {
    scenario,
    target: options.target,
    runId: run.runId,
    startedAt: run.startedAt.toISOString(),
    wallMs: performance.now() - run.epoch,
    speed,
    model: run.model,
    phases,
    stockObservation: state.stockObservation,
    setupError: state.setupError,
    timedOut: deadline.signal.aborted && state.stopped === null && state.interrupted === null,
    stopped: state.stopped,
    interrupted: state.interrupted,
    notes,
  };
}
