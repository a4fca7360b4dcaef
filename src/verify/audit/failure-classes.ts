/**
 * @module
 * The failure-class table (ids, titles, scenarios, checks), apart from how classes are judged and worded.
 */

import { type FaultId, faultTitles } from "../scenario/check/power.js";
import type { CheckId } from "../scenario/check/types.js";

// Apart from how classes are judged (classes.ts) and worded (class-evidence.ts): both need the
// table, and neither may need the other.

/** The classes are the faults whose smallest size a run reports (scenario/check/power.ts). */
export type ClassId = FaultId;

export type ClassStatus = "pass" | "fail" | "unjudged";

export interface FailureClass {
  readonly id: ClassId;
  readonly title: string;
  /** The built-in scenario made to show it (it is judged on every scenario). */
  readonly primary: string;
  /** Checker violations that belong to this class, by the check (or rule) that found them. */
  readonly checks: readonly CheckId[];
}

/** The failure classes the audit gives a verdict on, in table order. */
export const failureClasses: readonly FailureClass[] = [
  { id: "oversell", title: faultTitles.oversell, primary: "seed-3-1", checks: ["oversell"] },
  {
    id: "lost-update",
    title: faultTitles["lost-update"],
    primary: "crossed-carts",
    checks: ["conservation", "duplicate-hold", "lost-restore", "pay-without-reservation", "invariant", "model-steps"],
  },
  { id: "double-restore", title: faultTitles["double-restore"], primary: "races", checks: ["double-restore"] },
  {
    id: "paid-and-cancelled",
    title: faultTitles["paid-and-cancelled"],
    primary: "races",
    checks: ["paid-and-cancelled"],
  },
  { id: "errors-under-contention", title: faultTitles["errors-under-contention"], primary: "contention", checks: [] },
  { id: "timeouts", title: faultTitles.timeouts, primary: "contention", checks: [] },
  { id: "wrong-rejection", title: faultTitles["wrong-rejection"], primary: "contention", checks: ["wrong-rejection"] },
  { id: "ownership", title: faultTitles.ownership, primary: "crossed-carts", checks: ["foreign-order"] },
  {
    id: "hold-expiry",
    title: faultTitles["hold-expiry"],
    primary: "expiry",
    checks: ["paid-after-release", "never-released", "released-early", "released-twice"],
  },
];
