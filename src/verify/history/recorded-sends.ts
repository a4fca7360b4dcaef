/**
 * @module
 * What the histories really sent, by plan position, so the model predicts the requests as sent.
 */

import type { PlannedRequest, Recorded } from "../scenario/plan.js";
import type { Scenario, ScenarioUser } from "../scenario/types.js";
import type { History, ObservationRecord } from "./format.js";

/** The planned request a record stands for, with the id and user it was sent with. */
export function requestOf(
  rec: ObservationRecord,
  request: PlannedRequest,
  users: ReadonlyMap<string, ScenarioUser>,
): PlannedRequest {
  const user = users.get(rec.u) ?? (rec.u === "" ? request.user : { ...request.user, username: rec.u });
  return { ...request, paymentOrderId: rec.id, user };
}

/**
 * What the histories sent, by plan position: the model then predicts the requests as they were
 * really sent (an engine may send every round as one user), and a million records need no copy of
 * their planned request. Ids only when every recorded order id is distinct: the model keys orders
 * by id, and two rounds sharing one id must still be two orders to it. (Ids of requests no history
 * recorded come from a fresh random run id, so they cannot meet a recorded one.)
 */
export function recordedSends(scenario: Scenario, histories: readonly History[]): Recorded {
  // The cases that open an order (a second reservation of one order replays the first's id).
  const openers = new Set<string>();
  const keys = new Set<string>();
  for (const step of scenario.round)
    for (const c of step.cases)
      if (!keys.has(c.action.orderKey)) {
        keys.add(c.action.orderKey);
        openers.add(c.name);
      }
  const ids = new Map<string, string[]>(); // `${phase}:${case}` → id by round
  const users = new Map<string, string[]>(); // `${phase}:${case}` → username by round
  const sends = new Map<string, number[]>(); // `${phase}:${case}` → send time by round
  const listOf = <T>(map: Map<string, T[]>, key: string) => {
    let list = map.get(key);
    if (list === undefined) {
      list = [];
      map.set(key, list);
    }
    return list;
  };
  const distinct = new Set<string>();
  let idsDistinct = true;
  for (const h of histories)
    for (const rec of h.observations) {
      const key = `${rec.ph}:${rec.c}`;
      if (rec.u !== "") listOf(users, key)[rec.r] = rec.u;
      if (rec.s !== null) listOf(sends, key)[rec.r] = rec.s;
      if (!idsDistinct || !openers.has(rec.c)) continue;
      const byRound = listOf(ids, key);
      if (byRound[rec.r] !== undefined || distinct.has(rec.id)) idsDistinct = false;
      byRound[rec.r] = rec.id;
      distinct.add(rec.id);
    }
  distinct.clear();
  return {
    ...(idsDistinct ? { id: (phase, round, caseName) => ids.get(`${phase}:${caseName}`)?.[round] } : {}),
    user: (phase, round, caseName) => users.get(`${phase}:${caseName}`)?.[round],
    sentAt: (phase, round, caseName) => sends.get(`${phase}:${caseName}`)?.[round],
  };
}
