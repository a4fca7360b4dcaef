/**
 * @module
 * What every check may judge: the run and what is derived from it once (order histories, stock, expiry).
 */

import { largest } from "../extent.js";
import type { ModelPhase, ModelRun } from "../model.js";
import { firesTogether } from "../plan.js";
import { trafficMs } from "../run-result.js";
import type { Observation, PhaseRun, RunResult } from "../runner.js";
import { type Latency, latencyOf } from "../stats.js";
import { evaluateThreshold, type ThresholdResult } from "../thresholds.js";
import { type HoldExpiry, isSerial, type Scenario } from "../types.js";
import { type CaseSummary, type CountFindings, caseSummaries, countFindings } from "./cases.js";
import { type PhaseContention, phaseContention } from "./contention.js";
import { type ExpiryFindings, expiryBalances, judgeExpiryConservation } from "./expiry.js";
import { type ExpiryPower, expiryPower } from "./expiry-power.js";
import { type ExpirySuspicion, suspectExpiry } from "./expiry-suspicion.js";
import { releaseWindow } from "./expiry-window.js";
import { acceptedReserve, type PhaseHistory, phaseHistory } from "./history.js";
import { groupDivergences, judgeOrders, type OrderFindings } from "./orders.js";
import { judgeSteps } from "./steps.js";
import { balances, judgeConservation } from "./stock.js";
import { type Divergence, isIndeterminate, type Violation } from "./types.js";

export interface StockRow {
  readonly phase: string;
  readonly sku: number;
  readonly initial: number;
  readonly reserved: number;
  readonly restored: number;
  readonly paid: number;
  /** The model's final available stock (sequential prediction). */
  readonly model: number;
  /** What conservation allows given the observed answers. */
  readonly min: number;
  readonly max: number;
  /** From the test-control snapshot; null when not observed. */
  readonly observed: number | null;
}

/** One phase as the checks see it: every order's history, and the findings several checks share. */
export interface PhaseView {
  readonly run: PhaseRun;
  /** The model's run of the phase: stock when it starts and ends, counts per case. */
  readonly model: ModelPhase | undefined;
  readonly history: PhaseHistory;
  /** Judged step by step against the model: serial traffic, and no raced step in the round. */
  readonly stepwise: boolean;
  readonly orders: OrderFindings;
  /** Step-by-step findings; null when the phase is not stepwise. */
  readonly steps: OrderFindings | null;
  readonly conservation: { readonly conservation: readonly Violation[]; readonly doubleRestore: readonly Violation[] };
  readonly divergences: readonly Divergence[];
  /** Final stock per SKU: conservation's bounds, the model's, the observed. */
  readonly stock: readonly StockRow[];
  readonly expiry: PhaseExpiry;
  /** Whether conflicting requests were in flight together: the power of the race checks. */
  readonly contention: PhaseContention;
}

/** Hold expiry in a phase: declared (judged with release windows) or, undeclared, suspected. */
export interface PhaseExpiry {
  readonly declared: HoldExpiry | null;
  /** Declared: what final stock says about expiry (null when not declared). */
  readonly findings: ExpiryFindings | null;
  /** Declared: some pay or cancel may have met an expired hold, so outcomes depend on timing. */
  readonly inPlay: boolean;
  /** Undeclared: why holds look like they expire (null when they do not, or when declared). */
  readonly suspected: ExpirySuspicion | null;
  /** Declared: what of each expiry fault this phase could have shown (null when not declared). */
  readonly power: ExpiryPower | null;
}

/** Everything a check may judge: the run (phases, observations, model, options) and what is derived from it once. */
export interface CheckContext {
  readonly result: RunResult;
  readonly scenario: Scenario;
  readonly model: ModelRun;
  readonly phases: readonly PhaseView[];
  /** Every planned request of the phases that ran, in phase order. */
  readonly observations: readonly Observation[];
  /** The observations of requests that were sent. */
  readonly sent: readonly Observation[];
  /** Sent requests whose effect is unknown: 5xx, timeouts, network errors. */
  readonly indeterminate: readonly Observation[];
  readonly stock: readonly StockRow[];
  readonly cases: readonly CaseSummary[];
  readonly counts: CountFindings;
  /** Over the sent requests; `percentile` answers any percentile. */
  readonly latency: Latency & { percentile(p: number): number };
  /** Sent requests per second of phase time. */
  readonly rps: number;
  readonly thresholds: readonly ThresholdResult[];
}

function phaseView(result: RunResult, run: PhaseRun, stepwise: boolean): PhaseView {
  const model = result.model.phases[run.index];
  const history = phaseHistory(result.scenario, run, model?.initial ?? {});
  const ttl = result.scenario.holdTtl ?? null;
  const orders = judgeOrders(history, result.model.expected, ttl);
  const steps = stepwise ? judgeSteps(run.name, run.observations, result.model.expected) : null;
  const divergent = [...orders.divergent];
  const seen = new Set(divergent.map((d) => d.observation.request.seq));
  for (const d of steps?.divergent ?? []) if (!seen.has(d.observation.request.seq)) divergent.push(d);
  const findings = ttl === null ? null : judgeExpiryConservation(history, ttl);
  // Declared never to expire: stock that comes back unexplained is judged, not put down to expiry.
  const suspected = ttl === null && result.scenario.holdsNeverExpire !== true ? suspectExpiry(history) : null;
  // Some hold's window opened while requests were still answered: any of them may have met a release.
  const lastAnswer = largest(
    history.sent.map((o) => o.endedAt ?? Number.POSITIVE_INFINITY),
    0,
  );
  const inPlay =
    ttl !== null &&
    [...history.orders.values()].some((order) => {
      const hold = acceptedReserve(order);
      return hold !== undefined && releaseWindow(ttl, hold).opens < lastAnswer;
    });
  const rows = ttl === null ? balances(history) : expiryBalances(history, ttl, run.settledAt ?? run.endedAt);
  return {
    run,
    model,
    history,
    stepwise,
    orders,
    steps,
    conservation:
      findings === null
        ? judgeConservation(history)
        : { conservation: findings.conservation, doubleRestore: findings.doubleRestore },
    divergences: groupDivergences(run.name, divergent),
    stock: rows.map((b) => ({ phase: run.name, ...b, model: model?.final[b.sku] ?? 0 })),
    contention: phaseContention(history, run.traffic),
    expiry: {
      declared: ttl,
      findings,
      inPlay,
      suspected,
      power:
        ttl === null ? null : expiryPower(history, ttl, run.after === null ? null : (run.settledAt ?? run.endedAt)),
    },
  };
}

/** Derives once what the checks share from a run. */
export function checkContext(result: RunResult): CheckContext {
  const { scenario, model } = result;
  // Step-by-step equality holds only for serial traffic without races: once a raced step may be won
  // by either case, later steps and the counts can legally differ from the model's planned order.
  const raced = firesTogether(scenario);
  const phases = result.phases.map((run) => phaseView(result, run, isSerial(run.traffic) && !raced));
  const observations = result.phases.flatMap((p) => p.observations);
  const sent = observations.filter((o) => o.klass !== "not-sent");
  const indeterminate = sent.filter(isIndeterminate);
  const cases = caseSummaries(scenario, model, result.phases, observations);
  const latency = latencyOf(sent);
  const activeMs = trafficMs(result);
  const rps = activeMs > 0 ? sent.length / (activeMs / 1000) : 0;
  const metrics = {
    percentile: latency.percentile,
    avg: latency.avg,
    min: latency.min,
    max: latency.max,
    med: latency.p50,
    errors: indeterminate.length,
    indeterminate: indeterminate.length,
    timeouts: sent.filter((o) => o.klass === "timeout").length,
    server_errors: sent.filter((o) => o.klass === "5xx").length,
    rejected: sent.filter((o) => o.klass === "rejected" || o.klass === "other-4xx").length,
    failed: sent.filter((o) => o.klass !== "ok").length,
    failed_rate: sent.length === 0 ? 1 : sent.filter((o) => o.klass !== "ok").length / sent.length,
    rps,
  };
  return {
    result,
    scenario,
    model,
    phases,
    observations,
    sent,
    indeterminate,
    stock: phases.flatMap((p) => p.stock),
    cases,
    counts: countFindings(scenario, cases),
    latency,
    rps,
    thresholds: scenario.expectations.thresholds.map((t) => evaluateThreshold(t, metrics)),
  };
}
