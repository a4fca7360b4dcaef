/**
 * @module
 * Judges sequential traffic: every answer must be the model's, or differ only where the contract allows.
 */

import type { ExpectedOutcome } from "../model.js";
import type { Observation } from "../runner.js";
import type { OrderFindings } from "./orders.js";
import { isIndeterminate, refOf, type Violation } from "./types.js";

/** Sequential traffic: every answer must be the model's, or differ only where the reference contract allows a choice. */
export function judgeSteps(
  phase: string,
  observations: readonly Observation[],
  expected: readonly ExpectedOutcome[],
): OrderFindings {
  const violations: Violation[] = [];
  const divergent: OrderFindings["divergent"] = [];
  for (const o of observations) {
    const model = expected[o.request.seq];
    if (model === undefined || o.request.raced || o.klass === "not-sent" || isIndeterminate(o)) continue;
    if (o.outcome === model.outcome) continue;
    const reference = `${model.status} ${model.outcome}`;
    const refused = o.klass === "rejected" || o.klass === "other-4xx";
    const harmless =
      (model.outcome !== "ok" && refused) ||
      (model.outcome === "ok" && !model.movesStock && refused) ||
      (o.request.kind === "cancel" && o.klass === "ok" && model.outcome === "ORDER_NOT_FOUND");
    if (harmless) divergent.push({ observation: o, reference });
    else
      violations.push({
        check: "model-steps",
        phase,
        sku: o.request.lines[0]?.sku ?? null,
        message: `${o.request.caseName} in round ${o.request.round} (${o.request.paymentOrderId}) answered ${o.status ?? "-"} ${o.outcome}; in sequential traffic the model answers ${reference}.`,
        expected: reference,
        observed: `${o.status ?? "-"} ${o.outcome}`,
        requests: [refOf(phase, o)],
      });
  }
  return { violations, divergent };
}
