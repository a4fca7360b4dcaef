/** Places every history's records on the scenario's plan and on one timeline, refusing records given twice or never planned. */
import { err, ok, type Result } from "../../backend/domain/types.js";
import type { Plan, PlannedRequest } from "../scenario/plan.js";
import type { Observation } from "../scenario/run-result.js";
import type { Scenario, ScenarioUser } from "../scenario/types.js";
import type { History } from "./format.js";
import { requestOf } from "./recorded-sends.js";

export interface MatchedRecords {
  /** Each phase's observations, on the merged timeline, widened by the skew bound. */
  readonly byPhase: Map<number, Observation[]>;
  /** Indexed by seq: which history recorded each planned request (its index + 1; 0: none). */
  readonly seen: Uint16Array;
}

/**
 * Matches each record to the plan by (phase, round, case), keeping its own paymentOrderId and
 * user, and moves its times by its history's `shift` widened by `skew` on both sides.
 */
export function matchRecords(
  scenario: Scenario,
  histories: readonly History[],
  plan: Plan,
  requestCount: number,
  { shifts, skew }: { shifts: readonly number[]; skew: number },
): Result<MatchedRecords, string> {
  // phase → round → that round's requests (a handful): found without building a key per record.
  const planned = new Map<number, PlannedRequest[][]>();
  for (const phase of plan.phases)
    planned.set(
      phase.index,
      phase.rounds.map((r) => r.steps.flat()),
    );
  const users = new Map<string, ScenarioUser>(scenario.users.map((u) => [u.username, u]));
  const byPhase = new Map<number, Observation[]>();
  const seen = new Uint16Array(requestCount);
  const unplanned: string[] = [];
  const twice: string[] = [];
  histories.forEach((h, i) => {
    const shift = shifts[i] as number;
    for (const rec of h.observations) {
      const plannedRequest = planned.get(rec.ph)?.[rec.r]?.find((p) => p.caseName === rec.c);
      if (plannedRequest === undefined) {
        if (unplanned.length < 3) unplanned.push(`${h.file}: phase ${rec.ph} round ${rec.r} case "${rec.c}"`);
        continue;
      }
      const earlier = seen[plannedRequest.seq] as number;
      if (earlier !== 0) {
        if (twice.length < 3)
          twice.push(
            `phase ${rec.ph} round ${rec.r} case "${rec.c}" in ${histories[earlier - 1]?.file}${earlier - 1 === i ? " (twice)" : ` and ${h.file}`}`,
          );
        continue;
      }
      seen[plannedRequest.seq] = i + 1;
      const request =
        rec.id === plannedRequest.paymentOrderId && (rec.u === "" || rec.u === plannedRequest.user.username)
          ? plannedRequest
          : requestOf(rec, plannedRequest, users);
      const list = byPhase.get(rec.ph) ?? [];
      list.push({
        request,
        sentAt: rec.s === null ? null : rec.s + shift - skew,
        endedAt: rec.e === null ? null : rec.e + shift + skew,
        status: rec.st,
        outcome: rec.o,
        klass: rec.kl,
        detail: rec.d ?? null,
      });
      byPhase.set(rec.ph, list);
    }
  });
  // Counted twice, the same answers would look like a server that took stock twice or answered more
  // than was sent: a mistake in what was given, not in the server.
  if (twice.length > 0)
    return err(
      `The same requests are recorded more than once (${twice.join("; ")}): a history given twice, or shards that overlap. Give each shard's history once.`,
    );
  if (unplanned.length > 0)
    return err(
      `Requests the scenario "${scenario.name}" does not plan (${unplanned.join("; ")}): the history was recorded with another version of the scenario, or with other rounds.`,
    );
  return ok({ byPhase, seen });
}
