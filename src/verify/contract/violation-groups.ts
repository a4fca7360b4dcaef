/**
 * @module
 * Groups violations broken the same way into one line with a count, and marks consequences of a refusal.
 */

import type { Exchange } from "./conformance.js";

/** Violating exchanges that broke the spec the same way: one line with a count and one example. */
export interface ViolationGroup {
  readonly operationId: string;
  readonly status: number;
  /** What was broken, e.g. "response.body: must have required property 'code'". */
  readonly rule: string;
  readonly labels: readonly string[];
  readonly count: number;
  /** Set when these exchanges only failed because an earlier one did (a pay of an order never reserved). */
  readonly consequenceOf: string | null;
  readonly example: Exchange;
}

const orderIdOf = (exchange: Exchange): string | null => {
  const { path } = exchange.request;
  if (exchange.operationId === "reserveStock") {
    const query = path.indexOf("?");
    return query < 0 ? null : new URLSearchParams(path.slice(query + 1)).get("paymentOrderId");
  }
  if (exchange.operationId === "payOrder" || exchange.operationId === "cancelOrder") {
    const last = path.split("?")[0]?.split("/").at(-1);
    return last === undefined ? null : decodeURIComponent(last);
  }
  return null;
};

/**
 * Groups violating exchanges by operation, status and rule, so a hundred identical failures read
 * as one line with ×100; pays and cancels of orders whose reservation was refused are marked as
 * consequences of that refusal rather than listed as failures of their own.
 */
export function groupViolations(exchanges: readonly Exchange[]): ViolationGroup[] {
  const refusedReservations = new Map<string, Exchange>();
  const accepted = new Set<string>();
  for (const e of exchanges) {
    if (e.operationId !== "reserveStock") continue;
    const id = orderIdOf(e);
    if (id === null) continue;
    if (e.response.status === 200) accepted.add(id);
    else if (!refusedReservations.has(id)) refusedReservations.set(id, e);
  }
  const groups = new Map<string, ViolationGroup & { labels: string[]; count: number }>();
  for (const e of exchanges) {
    if (e.violations.length === 0) continue;
    const id = orderIdOf(e);
    const cause =
      e.operationId !== "reserveStock" && id !== null && !accepted.has(id) ? refusedReservations.get(id) : undefined;
    const consequenceOf =
      cause === undefined
        ? null
        : `the refused reservation (${cause.operationId} ${cause.response.status}, "${cause.label}")`;
    const rule = [...new Set(e.violations.map((v) => `${v.location === "" ? v.side : v.location}: ${v.message}`))]
      .sort()
      .join("; ");
    const key = `${e.operationId} ${e.response.status} ${consequenceOf ?? ""} ${rule}`;
    const group = groups.get(key);
    if (group === undefined) {
      groups.set(key, {
        operationId: e.operationId,
        status: e.response.status,
        rule,
        labels: [e.label],
        count: 1,
        consequenceOf,
        example: e,
      });
    } else {
      group.count++;
      if (!group.labels.includes(e.label)) group.labels.push(e.label);
    }
  }
  // Causes first, consequences after; the biggest group first within each.
  return [...groups.values()].sort(
    (a, b) => Number(a.consequenceOf !== null) - Number(b.consequenceOf !== null) || b.count - a.count,
  );
}
