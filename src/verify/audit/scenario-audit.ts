/**
 * @module
 * Audits one scenario phase by phase: stock set before, final stock observed after, judged by the checker.
 */

import { availableOnlySnapshot, type StockObservation, type StockObserver } from "../history/stock-observer.js";
import { checkRun, type Verdict } from "../scenario/check/index.js";
import { declaredStockDiffers } from "../scenario/declared-stock.js";
import { type PhaseRun, type RecordingOptions, type RunResult, runScenario } from "../scenario/runner.js";
import type { Scenario } from "../scenario/types.js";
import { testSuspectedExpiry } from "./expiry-hypothesis.js";
import { givenStock, runSetupCommand } from "./stock-setup.js";

/** How stock is set before each phase. */
export type StockSetup =
  | { readonly kind: "admin" }
  | { readonly kind: "command"; readonly command: string }
  | { readonly kind: "declared" };

/** Runs one phase of a scenario through `go`, adding what it records with (e.g. a history file). */
export type PhaseRecorder = (
  scenario: Scenario,
  phaseIndex: number,
  go: (extra: RecordingOptions) => Promise<RunResult>,
) => Promise<RunResult>;

export interface ScenarioAuditOptions {
  readonly target: string;
  /** The target's test-control key when its API answered; null otherwise. */
  readonly adminKey: string | null;
  readonly setup: StockSetup;
  readonly observer: StockObserver;
  readonly speed: number;
  readonly requestTimeoutMs?: number;
  readonly onProgress?: (line: string) => void;
  readonly record?: PhaseRecorder;
  /** The operator's stop: the phase under way stops sending, the phases after it do not run. */
  readonly interrupt?: AbortSignal;
}

export interface PhaseAudit {
  readonly name: string;
  readonly result: RunResult;
  readonly verdict: Verdict;
  readonly stockObservation: StockObservation;
  readonly notes: readonly string[];
}

export interface ScenarioAudit {
  readonly scenario: Scenario;
  readonly phases: readonly PhaseAudit[];
  /** Set when the scenario could not be carried out (setup, login or observation failed). */
  readonly error: string | null;
  readonly durationMs: number;
  readonly requests: number;
}

const availableOf = (run: PhaseRun | undefined): Map<number, number> | null =>
  run?.after === null || run?.after === undefined
    ? null
    : new Map(run.after.skus.map((s) => [s.productStockId, s.available]));

/**
 * Runs one scenario phase by phase through the scenario runner: stock set before each phase
 * (test-control API, the team's --setup command, or declared), final stock observed after it
 * when the runner had no snapshot (--snapshot command or the probe), then judged by the runner's
 * checker over the observations and the observed stock.
 */
export async function auditScenario(scenario: Scenario, options: ScenarioAuditOptions): Promise<ScenarioAudit> {
  const started = performance.now();
  const phases: PhaseAudit[] = [];
  let previousFinal: Map<number, number> | null = null;
  const finish = (error: string | null): ScenarioAudit => ({
    scenario,
    phases,
    error,
    durationMs: performance.now() - started,
    requests: phases.reduce((n, p) => n + p.verdict.requests, 0),
  });

  for (const [index, phase] of scenario.phases.entries()) {
    if (options.interrupt?.aborted) break;
    const notes: string[] = [];
    const fromGiven = index === 0 || phase.restock;
    if (options.setup.kind === "command" && fromGiven) {
      const done = await runSetupCommand(options.setup.command, givenStock(scenario, phase.name));
      if (!done.ok) return finish(done.error);
    }
    // Stock the tool did not set is read before the phase when it can be: judging a correct server
    // on other stock than the scenario declares would call its refusals wrong and its stock lost.
    if (options.setup.kind !== "admin" && fromGiven && options.observer.method === "snapshot-command") {
      const read = await options.observer.observe(scenario, new Map());
      const differs =
        read.ok && read.value !== null ? declaredStockDiffers(scenario, phase.name, read.value, "--snapshot") : null;
      if (differs !== null) return finish(`${scenario.name}: ${differs}`);
    }
    const stockSetup = options.setup.kind === "admin" ? "admin" : "declared";
    options.onProgress?.(`${scenario.name} · ${phase.name}: ${phase.traffic.rounds} rounds (${phase.traffic.shape})`);
    const go = (extra: RecordingOptions) =>
      runScenario(
        { ...scenario, stockSetup },
        {
          target: options.target,
          adminKey: options.adminKey,
          phase: phase.name,
          speed: options.speed,
          ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
          ...(options.interrupt === undefined ? {} : { interrupt: options.interrupt }),
          ...extra,
        },
      );
    const raw = await (options.record === undefined ? go({}) : options.record(scenario, index, go));
    if (raw.setupError !== null) return finish(`${scenario.name} (${phase.name}): ${raw.setupError}`);
    const run = raw.phases[0];
    if (run === undefined) {
      // Stopped by the operator before the phase's traffic: nothing of it to judge.
      if (raw.interrupted != null) break;
      return finish(`${scenario.name} (${phase.name}): the runner ran no phase`);
    }

    let before = run.before;
    if (before === null && options.setup.kind === "declared" && index > 0) {
      // Nothing can reset declared stock between phases: this phase starts where the previous
      // one ended, as observed; unobserved, it can only be assumed to be the given stock again.
      if (previousFinal !== null) {
        before = availableOnlySnapshot(previousFinal, run.startedAt);
        notes.push(
          `"${phase.name}" started from the stock observed after the previous phase (pass --setup to reset it to the given stock).`,
        );
      } else if (fromGiven) {
        notes.push(`"${phase.name}" assumes its given stock was set again by hand; pass --setup to reset it.`);
      }
    }
    let after = run.after;
    let stockObservation: StockObservation = after === null ? "none" : "snapshot";
    if (after === null && options.observer.method !== "none" && !raw.timedOut && raw.interrupted == null) {
      const modelFinal = raw.model.phases[run.index]?.final ?? {};
      const expected = new Map(scenario.skus.map((s) => [s.productStockId, modelFinal[s.productStockId] ?? s.stock]));
      const observed = await options.observer.observe(scenario, expected);
      if (observed.note !== undefined) notes.push(observed.note);
      if (!observed.ok) notes.push(`${observed.error} Conservation and double restore are not judged for this phase.`);
      else if (observed.value !== null) {
        after = availableOnlySnapshot(observed.value, run.settledAt ?? run.endedAt);
        stockObservation = options.observer.method;
      }
    }
    const judged: PhaseRun = { ...run, before, after };
    // Holds that seem to expire with no TTL declared: tested against the target before giving up.
    const tested = await testSuspectedExpiry({ ...raw, phases: [judged] }, checkRun({ ...raw, phases: [judged] }), {
      target: options.target,
      adminKey: options.adminKey,
      observer: options.observer,
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.interrupt === undefined ? {} : { interrupt: options.interrupt }),
    });
    const result: RunResult = { ...tested.result, notes: [...raw.notes, ...notes, ...tested.notes] };
    phases.push({ name: phase.name, result, verdict: tested.verdict, stockObservation, notes: result.notes });
    previousFinal = availableOf(judged);
  }
  return finish(null);
}
