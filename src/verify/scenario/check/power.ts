/**
 * @module
 * The smallest fault of each failure class a run could have seen, or none and why.
 */

import type { Observation } from "../runner.js";
import { lostUpdateUnreached, type PhaseContention } from "./contention.js";
import type { PhaseView, StockRow } from "./context.js";
import { describePower, type ExpiryPower, expiryFaultsSeeable, unseenExpiryFaults } from "./expiry-power.js";
import { acceptedReserve, type PhaseHistory, unitsOf } from "./history.js";
import { isIndeterminate } from "./types.js";
import { unobservableUnits } from "./unobservable.js";

/**
 * The smallest fault of each failure class a run could have seen, from what the checks already
 * computed (contention peaks, conservation's range, units hidden by indeterminate requests, expiry
 * power). A PASS means "no fault this size or larger happened"; "none: …" means the run could not
 * have seen any, and why.
 */
export type FaultId =
  | "oversell"
  | "lost-update"
  | "double-restore"
  | "paid-and-cancelled"
  | "errors-under-contention"
  | "timeouts"
  | "wrong-rejection"
  | "ownership"
  | "hold-expiry";

/** Each class's name, as every report shows it. */
export const faultTitles: Readonly<Record<FaultId, string>> = {
  oversell: "Oversell",
  "lost-update": "Lost update / conservation",
  "double-restore": "Double restore",
  "paid-and-cancelled": "Paid and cancelled",
  "errors-under-contention": "Errors under contention (5xx)",
  timeouts: "Timeouts",
  "wrong-rejection": "Wrong rejection",
  ownership: "Ownership (foreign orders)",
  "hold-expiry": "Hold expiry",
};

export interface SmallestFault {
  readonly fault: FaultId;
  /** Its size (units of stock, or requests); null when the run could have seen none. */
  readonly size: number | null;
  /** In the class's own words: "an oversell of 1 unit on SKU 311191", or "none: …". */
  readonly text: string;
}

/** What gave a run its power, besides the contention and expiry power the verdict already carries. */
export interface RunPower {
  /** Per SKU: units whose fate indeterminate requests left unknown. */
  readonly unobservable: Readonly<Record<string, number>>;
  readonly smallest: readonly SmallestFault[];
}

const units = (n: number) => `${n} unit${n === 1 ? "" : "s"}`;
const some = (fault: FaultId, size: number, text: string): SmallestFault => ({ fault, size, text });
const none = (fault: FaultId, why: string): SmallestFault => ({ fault, size: null, text: `none: ${why}` });

/** The indeterminate reservations and cancels that leave units of `sku` unknown. */
function hiders(history: PhaseHistory, sku: number): number {
  let n = 0;
  for (const o of history.sent) {
    if (!isIndeterminate(o) || o.request.kind === "pay") continue;
    const order = history.orders.get(o.request.paymentOrderId);
    const taken = o.request.kind === "reserve" ? o : order === undefined ? undefined : acceptedReserve(order);
    if (taken !== undefined && unitsOf(taken, sku) > 0) n++;
  }
  return n;
}

const hiddenBy = (history: PhaseHistory, row: StockRow) => {
  const n = hiders(history, row.sku);
  return `${n} indeterminate request${n === 1 ? "" : "s"} hide up to ${units(row.max - row.min)} of SKU ${row.sku}`;
};

/** The smallest candidate, else the first "none". */
function smallestOf(fault: FaultId, candidates: readonly SmallestFault[], otherwise: string): SmallestFault {
  const sized = candidates.filter((c) => c.size !== null).sort((a, b) => (a.size as number) - (b.size as number));
  return sized[0] ?? candidates[0] ?? none(fault, otherwise);
}

function oversell(p: PhaseView): SmallestFault {
  const { contention } = p;
  const short = contention.skus.filter((s) => s.demand > s.initial);
  if (short.length === 0) return none("oversell", "no SKU was asked for more units than it had");
  const raced = contention.concurrent ? short.filter((s) => s.peakReserves >= 2) : short;
  const first = raced[0];
  if (first === undefined)
    return none(
      "oversell",
      `contention not reached: no two reservations of ${short.map((s) => `SKU ${s.sku}`).join(", ")} were in flight together (peak 1)`,
    );
  return some("oversell", 1, `an oversell of 1 unit on SKU ${first.sku}`);
}

function lostUpdate(p: PhaseView): SmallestFault {
  const rows = p.stock.filter((r) => r.observed !== null);
  if (rows.length === 0) return none("lost-update", "the final stock was not read");
  const unreached = lostUpdateUnreached([p.contention]);
  if (unreached !== null) return none("lost-update", unreached);
  // A lost update leaves more stock than the range allows only when it is wider than the range.
  const candidates = rows
    .filter((r) => r.reserved > 0)
    .map((r) => {
      const size = r.max - r.min + 1;
      return size > r.reserved
        ? none("lost-update", hiddenBy(p.history, r))
        : some("lost-update", size, `a lost update of ${units(size)} on SKU ${r.sku}`);
    });
  return smallestOf("lost-update", candidates, "no reservation was accepted");
}

function doubleRestore(p: PhaseView): SmallestFault {
  const rows = p.stock.filter((r) => r.observed !== null);
  if (rows.length === 0) return none("double-restore", "the final stock was not read");
  // Per SKU, the fewest units one accepted cancel put back: a second restore of them is the smallest.
  const fewest = new Map<number, number>();
  for (const order of p.history.orders.values()) {
    const hold = acceptedReserve(order);
    if (hold === undefined || !order.cancels.some((c) => c.klass === "ok")) continue;
    for (const r of rows) {
      const back = unitsOf(hold, r.sku);
      if (back > 0 && back < (fewest.get(r.sku) ?? Number.POSITIVE_INFINITY)) fewest.set(r.sku, back);
    }
  }
  // It shows only when it puts back more than the range leaves open; else the range hides it.
  const candidates = rows.flatMap((r) => {
    const back = fewest.get(r.sku);
    if (back === undefined) return [];
    return [
      back > r.max - r.min
        ? some("double-restore", back, `a second restore of ${units(back)} on SKU ${r.sku}`)
        : none("double-restore", hiddenBy(p.history, r)),
    ];
  });
  return smallestOf("double-restore", candidates, "no cancel was accepted");
}

function paidAndCancelled(p: PhaseView): SmallestFault {
  const both = [...p.history.orders.values()].some((o) => o.pays.length > 0 && o.cancels.length > 0);
  return both
    ? some("paid-and-cancelled", 1, "one order both paid and cancelled")
    : none("paid-and-cancelled", "no order was sent both a pay and a cancel");
}

function ownership(p: PhaseView): SmallestFault {
  const foreign = [...p.history.orders.values()].some((o) => {
    const owner = (acceptedReserve(o) ?? o.reserves[0])?.request.user.username;
    return [...o.pays, ...o.cancels].some((r) => owner !== undefined && r.request.user.username !== owner);
  });
  return foreign
    ? some("ownership", 1, "one order paid or cancelled by a user it does not belong to")
    : none("ownership", "no user paid or cancelled another user's order");
}

function wrongRejection(p: PhaseView): SmallestFault {
  const reserves = p.history.sent.filter((o) => o.request.kind === "reserve").length;
  if (reserves === 0) return none("wrong-rejection", "no reservation was sent");
  const hidden = [...unobservableUnits([p])].map(([sku, n]) => `${units(n)} of SKU ${sku}`);
  const beyond = hidden.length === 0 ? "" : ` (beyond the ${hidden.join(", ")} indeterminate requests hide)`;
  return some("wrong-rejection", 1, `one reservation refused while its stock sufficed${beyond}`);
}

function answers(fault: "errors-under-contention" | "timeouts", sent: readonly Observation[]): SmallestFault {
  if (sent.length === 0) return none(fault, "no request was sent");
  // Any one of them fails the class, in whichever phase: no count of the phase's requests here.
  return fault === "timeouts" ? some(fault, 1, "one request left without an answer") : some(fault, 1, "one 5xx answer");
}

/** The faults of hold expiry the power could show; "none" names what each lacked. */
export function expiryFault(power: ExpiryPower | null): SmallestFault {
  if (power === null) return none("hold-expiry", "no hold TTL declared (--hold-ttl)");
  const seeable = expiryFaultsSeeable(power);
  const seen = [
    ...(seeable.neverReleased ? ["a hold never released"] : []),
    ...(seeable.paidAfterRelease ? ["a pay accepted after its hold's release"] : []),
    ...(seeable.releasedTwice ? ["a hold released twice"] : []),
  ];
  if (seen.length > 0) return some("hold-expiry", 1, `one of: ${seen.join(", ")}`);
  return none("hold-expiry", unseenExpiryFaults(power).join("; "));
}

/** The smallest fault of each class one phase could have seen. */
export function phaseFaults(p: PhaseView): SmallestFault[] {
  return [
    oversell(p),
    lostUpdate(p),
    doubleRestore(p),
    paidAndCancelled(p),
    answers("errors-under-contention", p.history.sent),
    answers("timeouts", p.history.sent),
    wrongRejection(p),
    ownership(p),
    expiryFault(p.expiry.power),
  ];
}

/** Over several phases (or runs): per class, the smallest any could have seen, else the first reason for none. */
export function combineFaults(lists: readonly (readonly SmallestFault[])[]): SmallestFault[] {
  const order: FaultId[] = [];
  const by = new Map<FaultId, SmallestFault[]>();
  for (const f of lists.flat()) {
    if (!by.has(f.fault)) order.push(f.fault);
    by.set(f.fault, [...(by.get(f.fault) ?? []), f]);
  }
  return order.map((id) => smallestOf(id, by.get(id) ?? [], "nothing was run"));
}

/** The power of a run: units left unobservable, and the smallest fault of each class. */
export function runPower(phases: readonly PhaseView[]): RunPower {
  return {
    unobservable: Object.fromEntries([...unobservableUnits(phases)].map(([sku, n]) => [String(sku), n])),
    smallest: combineFaults(phases.map(phaseFaults)),
  };
}

/** The figures that gave a run its power, and the smallest fault of each class: what reports list. */
export function powerLines(v: Parameters<typeof powerFigures>[0]): PowerLine[] {
  return [
    ...powerFigures(v),
    ...v.power.smallest.map((f) => ({
      key: `smallest-fault.${f.fault}`,
      name: `smallest fault: ${faultTitles[f.fault]}`,
      value: f.text,
    })),
  ];
}

/** One figure: `key` for machines (JUnit properties), `name` for people. */
export interface PowerLine {
  readonly key: string;
  readonly name: string;
  readonly value: string;
}

const keyed = (name: string, value: string): PowerLine => ({ key: name.replaceAll(" ", "-"), name, value });

/** The figures that gave a run its power, one "name: value" each, for reports that list them. */
export function powerFigures(v: {
  readonly contention: readonly PhaseContention[];
  readonly expiry: { readonly power: ExpiryPower | null };
  readonly power: RunPower;
}): PowerLine[] {
  const peaks = new Map<number, { reserves: number; writes: number }>();
  for (const p of v.contention)
    for (const s of p.skus) {
      if (s.reservations < 2) continue;
      const was = peaks.get(s.sku) ?? { reserves: 0, writes: 0 };
      peaks.set(s.sku, {
        reserves: Math.max(was.reserves, s.peakReserves),
        writes: Math.max(was.writes, s.peakWrites),
      });
    }
  // A rate phase's sends are spread by its schedule: only a burst's spread says how "at once" it was.
  const spreads = v.contention
    .filter((p) => p.burst)
    .map((p) => p.firstStepSpreadMs)
    .filter((s): s is number => s !== null);
  const hidden = Object.entries(v.power.unobservable);
  return [
    keyed(
      "contention peak",
      peaks.size === 0
        ? "no SKU had two reservations"
        : [...peaks]
            .map(([sku, p]) => `SKU ${sku}: ${p.reserves} reservations / ${p.writes} writes in flight`)
            .join(", "),
    ),
    ...(spreads.length === 0
      ? []
      : [keyed("send spread", `a burst's first-step sends over ${Math.round(Math.max(...spreads))} ms at most`)]),
    ...(v.expiry.power === null ? [] : [keyed("expiry power", describePower(v.expiry.power))]),
    keyed(
      "unobservable units",
      hidden.length === 0 ? "none" : hidden.map(([sku, n]) => `${units(n)} of SKU ${sku}`).join(", "),
    ),
  ];
}
