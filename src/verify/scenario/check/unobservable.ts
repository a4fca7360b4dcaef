/**
 * @module
 * Per SKU, the units indeterminate requests (5xx, timeouts, resets) leave unknown, where no fault can be told.
 */

import type { PhaseView } from "./context.js";
import { acceptedReserve, unitsOf } from "./history.js";
import { isIndeterminate } from "./types.js";

/**
 * Per SKU, the units whose fate indeterminate requests (5xx, timeouts, resets) leave unknown: a lost
 * reservation's lines, and a lost cancel's order. Within them no fault of the stock can be told.
 */
export function unobservableUnits(phases: readonly PhaseView[]): Map<number, number> {
  const hidden = new Map<number, number>();
  const add = (sku: number, units: number) => {
    if (units > 0) hidden.set(sku, (hidden.get(sku) ?? 0) + units);
  };
  for (const { history } of phases) {
    for (const o of history.sent) {
      if (!isIndeterminate(o) || o.request.kind === "pay") continue;
      const order = history.orders.get(o.request.paymentOrderId);
      const taken = o.request.kind === "reserve" ? o : order === undefined ? undefined : acceptedReserve(order);
      if (taken === undefined) continue;
      for (const sku of history.initial.keys()) add(sku, unitsOf(taken, sku));
    }
  }
  return hidden;
}

export const describeUnobservable = (hidden: ReadonlyMap<number, number>): string =>
  hidden.size === 0
    ? ""
    : `; they leave up to ${[...hidden].map(([sku, units]) => `${units} units of SKU ${sku}`).join(", ")} unobservable`;
