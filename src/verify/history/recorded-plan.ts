/**
 * @module
 * The scenario to judge histories with, given the plan (scale, hold TTL) their runs recorded.
 */

import { formatDuration } from "../../base/config/duration.js";
import { UsageError } from "../../base/config/errors.js";
import { holdExpiry, type Scenario } from "../scenario/types.js";
import type { History } from "./format.js";

/**
 * The scenario to judge the histories with, given what their runs recorded of their plan: the
 * hold TTL the runs were told when `check` was told none, and a refusal when the plans differ —
 * another --scale (rounds that would count as never sent, or as unplanned) or another TTL (holds
 * judged against windows the run never used). Histories that recorded no plan (engines' results,
 * older files) are taken as they are.
 */
export function reconcileRecordedPlan(scenario: Scenario, histories: readonly History[], ttlGiven: boolean): Scenario {
  const recorded = histories.flatMap((h) =>
    h.header.plan === undefined ? [] : [{ file: h.file, plan: h.header.plan }],
  );
  if (recorded.length === 0) return scenario;
  const planned = scenario.phases.map((p) => p.traffic.rounds);
  for (const { file, plan } of recorded) {
    const differs = plan.rounds.findIndex((rounds, i) => rounds !== planned[i]);
    if (differs >= 0 || plan.rounds.length !== planned.length) {
      const i = Math.max(0, differs);
      const ratio = (plan.rounds[i] ?? 0) / (planned[i] ?? 1);
      throw new UsageError(
        `${file} was recorded from a plan of ${plan.rounds.join(", ")} round(s) per phase; "${scenario.name}" as given here plans ${planned.join(", ")}: pass the scenario and the --scale the run had${Number.isFinite(ratio) && ratio > 0 && ratio !== 1 ? ` (--scale ${Number(ratio.toPrecision(6))} relative to this one)` : ""}.`,
      );
    }
  }
  const ttls = [...new Set(recorded.map(({ plan }) => JSON.stringify(plan.holdTtl)))];
  if (ttls.length > 1)
    throw new UsageError(
      `The histories were recorded with different hold TTLs (${recorded.map(({ file, plan }) => `${file}: ${plan.holdTtl === null ? "none" : formatDuration(plan.holdTtl.ttlMs)}`).join(", ")}): check each run's histories on their own.`,
    );
  const runTtl = recorded[0]?.plan.holdTtl ?? null;
  if (!ttlGiven) return runTtl === null ? scenario : { ...scenario, holdTtl: holdExpiry(runTtl.ttlMs, runTtl.graceMs) };
  const mine = scenario.holdTtl;
  const same =
    (mine === null && runTtl === null) ||
    (mine !== null && runTtl !== null && mine.ttlMs === runTtl.ttlMs && mine.graceMs === runTtl.graceMs);
  if (!same)
    throw new UsageError(
      `The run was told ${runTtl === null ? "no hold TTL" : `--hold-ttl ${formatDuration(runTtl.ttlMs)} (grace ${formatDuration(runTtl.graceMs)})`}, and check ${mine === null ? "none" : `--hold-ttl ${formatDuration(mine.ttlMs)} (grace ${formatDuration(mine.graceMs)})`}: leave --hold-ttl out to judge with the run's, or record the run again.`,
    );
  return scenario;
}
