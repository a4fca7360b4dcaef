/**
 * @module
 * Finds a target and scenario that do not fit (a route, token or SKU the target lacks), one line and the fix.
 */

import { stateRefusals } from "../client.js";
import type { Observation } from "../runner.js";
import type { Scenario } from "../types.js";

/** The target and the scenario do not fit: one line naming it and one with the fix, instead of a violation per request. */
export interface Mismatch {
  readonly message: string;
  readonly fix: string;
}

const paths = {
  reserve: "GET /orders/payment/choice",
  pay: "GET /orders/payment/kcp/payResultTest/{id}",
  cancel: "DELETE /orders/payment/cancel/{id}",
} as const;

/** The one answer every observation got, when they all got the same one; else null. */
function sameAnswer(observations: readonly Observation[]): { status: number; outcome: string } | null {
  const first = observations[0];
  if (first === undefined || first.status === null) return null;
  return observations.every((o) => o.status === first.status && o.outcome === first.outcome)
    ? { status: first.status, outcome: first.outcome }
    : null;
}

/**
 * Finds what makes a whole run meaningless rather than wrong: an operation that answers 401 or 404
 * to every request (a route or token the target does not have), a SKU every reservation of which
 * is refused with one code that is not about stock (a SKU the target does not have). At least
 * `minimum` answered requests are needed before a pattern counts. Every reservation refused, when
 * the stock was neither set nor read by the tool, is named as stock that was not set.
 */
export function findMismatches(
  scenario: Scenario,
  observations: readonly Observation[],
  minimum = 3,
  /** The stock was set by the test-control API or read before the phase: refusals are then the target's own. */
  stockKnown = false,
): Mismatch[] {
  const answered = observations.filter((o) => o.status !== null);
  const found: Mismatch[] = [];
  const allRefused = sameAnswer(answered);
  if (allRefused !== null && answered.length >= minimum && allRefused.status === 401) {
    return [
      {
        message: `every request (${answered.length}) answered 401 ${allRefused.outcome}: the target refuses the tokens its own /oauth/token issued`,
        fix: "check that --target is the API the tokens are for, and the target's token settings",
      },
    ];
  }
  const refused = stockKnown ? null : everyReservationRefused(scenario, answered, minimum);
  // Pay and cancel of orders never made answer 404: the refusals are the cause, not a missing route.
  if (refused !== null) return [refused];
  // A pay or cancel of an order its user holds: only its 404 says the route is missing. Orders of
  // another user, or never made, answer 404 on a correct server whatever word it gives.
  const held = new Set(
    answered
      .filter((o) => o.request.kind === "reserve" && o.klass === "ok")
      .map((o) => `${o.request.user.username}\u0000${o.request.paymentOrderId}`),
  );
  const onHeldOrder = (o: Observation) => held.has(`${o.request.user.username}\u0000${o.request.paymentOrderId}`);
  for (const kind of ["reserve", "pay", "cancel"] as const) {
    const mine = answered.filter((o) => o.request.kind === kind);
    const same = sameAnswer(mine);
    if (same === null || mine.length < minimum || same.status !== 404 || stateRefusals.has(same.outcome)) continue;
    if (kind !== "reserve" && !mine.some(onHeldOrder)) continue;
    found.push({
      message: `${paths[kind]} answered 404 ${same.outcome} to every request (${mine.length}): the target has no such route`,
      fix: "is --target the API's base URL, with its path prefix if any?",
    });
  }
  if (found.length > 0) return found;
  for (const sku of scenario.skus) {
    const reserves = answered.filter(
      (o) => o.request.kind === "reserve" && o.request.lines.some((l) => l.sku === sku.productStockId),
    );
    const same = sameAnswer(reserves);
    if (same === null || reserves.length < minimum || same.status < 400 || same.status >= 500) continue;
    if (stateRefusals.has(same.outcome)) continue;
    const unknown = same.outcome === "UNKNOWN_SKU" || same.status === 404;
    found.push(
      unknown
        ? {
            message: `SKU ${sku.productStockId} does not exist on the target: every reservation naming it (${reserves.length}) answered ${same.status} ${same.outcome}`,
            fix: `put SKUs the target has into the scenario's given.skus, or create ${sku.productStockId} there (with the test-control API the runner sets its stock)`,
          }
        : {
            message: `every reservation naming SKU ${sku.productStockId} (${reserves.length}) answered ${same.status} ${same.outcome}, a refusal that is not about stock`,
            fix: "check the scenario's given.request parameters and given.skus against what the target accepts",
          },
    );
  }
  return found;
}

/**
 * Every reservation refused with one 4xx answer, though the first to reach a server with the given
 * stock fits in it: the stock was not what the scenario says (left at 0 by an earlier run, never
 * set). A 404 is left to the route and SKU checks, a 401 to the token check.
 */
function everyReservationRefused(
  scenario: Scenario,
  answered: readonly Observation[],
  minimum: number,
): Mismatch | null {
  // Only phases that start from the given stock: a later phase may rightly find it sold.
  const fromGiven = (phase: number) => phase === 0 || scenario.phases[phase]?.restock === true;
  const reserves = answered.filter((o) => o.request.kind === "reserve" && fromGiven(o.request.phase));
  if (reserves.length !== answered.filter((o) => o.request.kind === "reserve").length) return null;
  const same = sameAnswer(reserves);
  if (same === null || reserves.length < minimum || same.status < 400 || same.status >= 500) return null;
  if (same.status === 401 || same.status === 404 || same.outcome === "UNKNOWN_SKU") return null;
  const given = new Map(scenario.skus.map((s) => [s.productStockId, s.stock]));
  const fits = reserves.some((o) => o.request.lines.every((l) => l.count <= (given.get(l.sku) ?? 0)));
  if (!fits) return null;
  const skus = scenario.skus.map((s) => `SKU ${s.productStockId}: ${s.stock}`).join(", ");
  return {
    message: `every reservation was refused (${same.status} ${same.outcome} ×${reserves.length}), though the scenario's given stock (${skus}) lets the first one through`,
    fix: "is the stock set? Pass --setup CMD (it gets the given stock as JSON on stdin), or set it before the run; --snapshot CMD reads it before each phase",
  };
}
