/**
 * @module
 * The judging steps several checks share: final rows, invariants, and violations excused by hold expiry.
 */

import type { CheckContext, PhaseView, StockRow } from "./context.js";
import { type Check, type Judgement, judgedBy, notJudged, refOf, type Violation } from "./types.js";

// What several checks of the list share: observed stock, admissibility, and how expiry and replays are judged.

export const notObserved = "not observed (no snapshot)";
export const stockObserved = (ctx: CheckContext) => ctx.stock.some((s) => s.observed !== null);
/** True when no earlier check found a violation: every answer was admissible. */
export const admissible = (earlier: readonly Check[]) => earlier.every((c) => c.violations.length === 0);

/** The rows of the last phase, or null when its final stock was not observed. */
export function finalRows(ctx: CheckContext): StockRow[] | null {
  const last = ctx.result.phases.at(-1);
  const rows = ctx.stock.filter((s) => s.phase === last?.name);
  return rows.length === 0 || rows.every((r) => r.observed === null) ? null : rows;
}

export function invariantViolations(ctx: CheckContext): { snapshots: number; violations: Violation[] } {
  let snapshots = 0;
  const violations: Violation[] = [];
  for (const { run } of ctx.phases) {
    for (const [when, snap] of [
      ["before", run.before],
      ["after", run.after],
    ] as const) {
      // A snapshot of available stock only (--snapshot, --final-stock, the probe) never saw held
      // and paid: it cannot show the invariant broken, so it does not count as one that holds.
      if (snap === null || snap.skus.some((s) => Number.isNaN(s.held) || Number.isNaN(s.paid))) continue;
      snapshots++;
      for (const s of snap.skus.filter((x) => !x.invariantHolds)) {
        violations.push({
          check: "invariant",
          phase: run.name,
          sku: s.productStockId,
          message: `The snapshot ${when} the phase breaks the invariant for SKU ${s.productStockId}: initial ${s.initial} ≠ available ${s.available} + held ${s.held} + paid ${s.paid}, or held/paid disagree with the orders.`,
          expected: "initial = available + held + paid, available ≥ 0",
          observed: `initial ${s.initial}, available ${s.available}, held ${s.held}, paid ${s.paid}`,
          requests: [],
        });
      }
    }
  }
  return { snapshots, violations };
}

/**
 * Undeclared expiry: a violation the suspected expiry explains is not a finding (the check is then
 * not judged, with the suspicion's message), never a false FAIL on a correct server.
 */
export function excusedByExpiry(p: PhaseView, v: Violation): boolean {
  const suspected = p.expiry.suspected;
  if (suspected === null) return false;
  switch (v.check) {
    case "oversell":
      return suspected.explainsOversell;
    case "conservation":
    case "double-restore":
      return v.sku !== null && suspected.explainsExcess.has(v.sku);
    case "wrong-rejection":
    case "lost-restore": {
      const last = v.requests.at(-1);
      return last !== undefined && last.kind !== "reserve";
    }
    default:
      return false;
  }
}

/** Fails on the violations expiry does not explain; not judged when expiry explains them all. */
export function judgedUnlessExpiry(
  ctx: CheckContext,
  of: (p: PhaseView) => readonly Violation[],
  passSummary: string,
): Judgement {
  const kept: Violation[] = [];
  const excused: string[] = [];
  for (const p of ctx.phases) {
    for (const v of of(p)) {
      if (excusedByExpiry(p, v)) excused.push(p.expiry.suspected?.message ?? "");
      else kept.push(v);
    }
  }
  if (kept.length === 0 && excused.length > 0) return notJudged(excused[0] as string);
  return judgedBy(kept, passSummary);
}

/** Why outcomes cannot be compared with the sequential model: holds expired, or seem to. */
export function expiryMakesTimingMatter(ctx: CheckContext): string | null {
  const suspected = ctx.phases.find((p) => p.expiry.suspected !== null)?.expiry.suspected;
  if (suspected !== undefined && suspected !== null) return suspected.message;
  if (ctx.phases.some((p) => p.expiry.inPlay))
    return "outcomes depend on where in each hold's release window the server released it (hold TTL declared); judged by conservation and hold expiry";
  return null;
}

/** The checks in report order. Invariants first: later checks weigh their findings. */
/**
 * Two 200s for one paymentOrderId are a duplicate hold only when stock was taken twice. With final
 * stock observed: a shortfall on a SKU such an order names fails (conservation fails too); none
 * means the server replayed its answer idempotently (a divergence). Without final stock: not judged.
 */
export function judgeReplays(ctx: CheckContext): Judgement {
  const violations: Violation[] = [];
  let replayed = 0;
  let unobserved = 0;
  for (const p of ctx.phases) {
    const twice = [...p.history.orders.values()].filter((o) => o.reserves.filter((r) => r.klass === "ok").length > 1);
    replayed += twice.length;
    if (twice.length === 0) continue;
    const rows = p.stock.filter((r) => r.observed !== null);
    if (rows.length === 0) {
      unobserved += twice.length;
      continue;
    }
    for (const row of rows) {
      const mine = twice.filter((o) => o.reserves.some((r) => r.request.lines.some((l) => l.sku === row.sku)));
      if (mine.length === 0 || (row.observed as number) >= row.min) continue;
      const accepted = mine.flatMap((o) => o.reserves.filter((r) => r.klass === "ok"));
      violations.push({
        check: "duplicate-hold",
        phase: p.run.name,
        sku: row.sku,
        message: `${mine.length} paymentOrderIds were answered 200 to more than one reservation and SKU ${row.sku} ended ${row.min - (row.observed as number)} units short: stock was taken twice under one paymentOrderId.`,
        expected:
          "a repeated reservation takes no stock (409 DUPLICATE_PAYMENT_ORDER, or a replay of the first answer)",
        observed: `available ${row.observed}, conservation allows ${row.min === row.max ? row.min : `${row.min}…${row.max}`}`,
        requests: accepted.slice(0, 4).map((o) => refOf(p.run.name, o)),
      });
    }
  }
  if (violations.length === 0 && unobserved > 0)
    return notJudged(
      `${unobserved} paymentOrderIds were answered 200 more than once; with no final stock observed an idempotent replay cannot be told from a duplicate hold (give --snapshot, or keep the probe)`,
    );
  return judgedBy(
    violations,
    `${replayed} paymentOrderIds answered 200 more than once without taking stock twice (idempotent replays)`,
  );
}
