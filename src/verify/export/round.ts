/**
 * @module
 * One round of a phase as an engine script runs it, with the placeholders the script fills per request.
 */

import type { PlannedRequest } from "../scenario/plan.js";
import { reserveQuery } from "../scenario/request-params.js";
import type { Phase, Scenario } from "../scenario/types.js";

/** Placeholders an exported script fills in per request: the paymentOrderId and the run day. */
export const idSlot = "__SP_ID__";
export const daySlot = "__SP_DAY__";

export interface ExportedCase {
  readonly name: string;
  readonly kind: "reserve" | "pay" | "cancel";
  /** The case whose order it acts on (itself for a reserve). */
  readonly orderKey: string;
  /** Index into the users, or null for the round's user. */
  readonly user: number | null;
  /** Reserve: the query string per user index, with the id and day slots. */
  readonly queries: readonly string[];
}

/** One round of a phase as an engine script runs it: steps in order, the cases of a step together. */
export interface ExportedRound {
  readonly scenario: string;
  readonly phase: { readonly index: number; readonly name: string };
  readonly rounds: number;
  readonly steps: readonly (readonly ExportedCase[])[];
}

/** The phase to export: the named one, else the first. Throws a message naming the phases. */
export function phaseToExport(scenario: Scenario, name: string | undefined): { index: number; phase: Phase } {
  const index = name === undefined ? 0 : scenario.phases.findIndex((p) => p.name === name);
  const phase = scenario.phases[index];
  if (phase === undefined)
    throw new Error(
      `The scenario has no phase "${name}"; its phases are: ${scenario.phases.map((p) => p.name).join(", ")}`,
    );
  return { index, phase };
}

export function exportedRound(scenario: Scenario, index: number, phase: Phase): ExportedRound {
  const users = new Map(scenario.users.map((u, i) => [u.name, i]));
  const steps = scenario.round.map((step) =>
    step.cases.map((c): ExportedCase => {
      const queries =
        c.action.kind === "reserve"
          ? scenario.users.map((user) => {
              const request = {
                paymentOrderId: idSlot,
                lines: c.action.kind === "reserve" ? c.action.lines : [],
                user,
              };
              return reserveQuery(scenario, request as PlannedRequest, daySlot);
            })
          : [];
      return {
        name: c.name,
        kind: c.action.kind,
        orderKey: c.action.orderKey,
        user: c.user === null ? null : (users.get(c.user) ?? null),
        queries,
      };
    }),
  );
  return { scenario: scenario.name, phase: { index, name: phase.name }, rounds: phase.traffic.rounds, steps };
}
