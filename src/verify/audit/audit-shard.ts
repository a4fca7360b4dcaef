/**
 * @module
 * One generator's share of an audit: one phase, every N-th round, its history written for `check` to merge.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import { type RunResult, runScenario } from "../scenario/runner.js";
import type { Shard } from "../scenario/shard.js";
import type { Scenario } from "../scenario/types.js";
import { type AuditOptions, auditScenarios, prepareAudit } from "./audit.js";
import type { PhaseRecorder } from "./scenario-audit.js";
import { givenStock, runSetupCommand } from "./stock-setup.js";

export interface AuditShardOptions extends AuditOptions {
  readonly shard: Shard;
  /** Runs the phase with the shard, start instant and history hooks added. */
  readonly record: PhaseRecorder;
}

export interface AuditShardRun {
  readonly scenario: Scenario;
  readonly result: RunResult;
}

/**
 * One generator's share of an audit: the one scenario phase it was given, every N-th round, its
 * history written for `check` to merge with the other shards'. Judges nothing — a share cannot be
 * judged alone — and only shard 0 sets the stock (test-control API or --setup).
 */
export async function runAuditShard(options: AuditShardOptions): Promise<Result<AuditShardRun, string>> {
  const loaded = auditScenarios(options);
  if (!loaded.ok) return loaded;
  const phases = loaded.value.flatMap((scenario) => scenario.phases.map((phase) => ({ scenario, phase })));
  const only = phases[0];
  if (phases.length !== 1 || only === undefined)
    return err(
      `A sharded audit releases one scenario phase at one instant; --scenarios gives ${phases.length} (${phases.map((p) => `${p.scenario.name}: ${p.phase.name}`).join("; ")}). Shard one single-phase scenario at a time (e.g. --scenarios contention), or a phase of a longer one with \`stockproof run SCENARIO --phase NAME --shard i/N\`.`,
    );
  const { scenario, phase } = only;
  const { adminKey, setupFor } = await prepareAudit(options, loaded.value);
  const setup = setupFor(scenario);
  if (setup.kind === "command" && options.shard.index === 0) {
    const done = await runSetupCommand(setup.command, givenStock(scenario, phase.name));
    if (!done.ok) return err(done.error);
  }
  const result = await options.record(scenario, 0, (extra) =>
    runScenario(
      { ...scenario, stockSetup: setup.kind === "admin" ? "admin" : "declared" },
      {
        target: options.target,
        adminKey,
        phase: phase.name,
        speed: options.speed ?? 60,
        ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
        ...(options.interrupt === undefined ? {} : { interrupt: options.interrupt }),
        ...extra,
      },
    ),
  );
  return ok({ scenario, result });
}
