/**
 * @module
 * The power figures of an audit over every phase, and which of them each class's verdict rests on.
 */

import { totalPower } from "../scenario/check/expiry-power.js";
import { type PowerLine, powerFigures } from "../scenario/check/power.js";
import type { ClassId } from "./failure-classes.js";
import type { PhaseAudit } from "./scenario-audit.js";

export type PowerFigure = PowerLine;

/** Contention peaks and send spread, expiry power (with a declared TTL), units left unobservable. */
export function auditFigures(phases: readonly PhaseAudit[]): PowerFigure[] {
  const unobservable: Record<string, number> = {};
  for (const p of phases)
    for (const [sku, n] of Object.entries(p.verdict.power.unobservable))
      unobservable[sku] = (unobservable[sku] ?? 0) + n;
  const declared = phases.some((p) => p.verdict.expiry.power !== null);
  return powerFigures({
    contention: phases.flatMap((p) => p.verdict.contention),
    expiry: { power: declared ? totalPower(phases.map((p) => p.verdict.expiry.power)) : null },
    power: { unobservable, smallest: [] },
  });
}

const relevant: Record<ClassId, readonly string[]> = {
  oversell: ["contention peak", "send spread"],
  "lost-update": ["contention peak", "send spread", "unobservable units"],
  "double-restore": ["unobservable units"],
  "paid-and-cancelled": ["contention peak"],
  "errors-under-contention": ["contention peak", "send spread"],
  timeouts: ["contention peak"],
  "wrong-rejection": ["contention peak", "unobservable units"],
  ownership: [],
  "hold-expiry": ["expiry power", "unobservable units"],
};

/** The figures a class's verdict rests on. */
export const classPower = (id: ClassId, figures: readonly PowerFigure[]): PowerFigure[] =>
  figures.filter((f) => relevant[id].includes(f.name));
