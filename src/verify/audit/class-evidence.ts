/**
 * @module
 * The evidence lines of the audit's class verdicts: tallies, requests named, final stock against conservation.
 */

import { describePower } from "../scenario/check/expiry-power.js";
import { describeAllowed } from "../scenario/check/stock.js";
import { isRefusal, type RequestRef } from "../scenario/check/types.js";
import type { Observation } from "../scenario/runner.js";
import type { FailureClass } from "./failure-classes.js";
import type { PhaseAudit, ScenarioAudit } from "./scenario-audit.js";

// The words of the audit's verdicts: which requests, phases and stock rows each class's evidence names.

export const isTimeoutLike = (o: Observation) =>
  o.klass === "timeout" || o.klass === "network" || o.klass === "aborted";
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
export const phaseLabel = (s: ScenarioAudit, p: PhaseAudit) =>
  s.phases.length > 1 ? `${s.scenario.name}/${p.name}` : s.scenario.name;

export const describeRef = (r: RequestRef) =>
  `${r.caseName} ${r.paymentOrderId} (round ${r.round}) → ${r.status ?? "no answer"} ${r.outcome}`;

export function tally(observations: readonly Observation[]): string {
  const counts = new Map<string, number>();
  for (const o of observations) {
    const key = o.status === null ? o.outcome : `${o.status} ${o.outcome}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ×${n}`)
    .join(", ");
}

/**
 * Why no phase's final stock was read: a run cut by its time bound never reaches its final read,
 * whatever --snapshot says; otherwise nothing was there to read it with.
 */
export function unobservedStock(audits: readonly ScenarioAudit[]): string {
  const cut = audits.flatMap((s) => s.phases).find((p) => p.result.timedOut && p.stockObservation === "none");
  if (cut !== undefined)
    return `the run was cut by its time bound after ${Math.round(cut.result.wallMs / 1000)} s, so the final stock was not read: lower the load (--scale, --speed) or make the target answer faster`;
  return "final stock was not observed: give --snapshot CMD, keep the probe on, or use the test-control API";
}

/** Final stock against what conservation allows, per SKU and phase. */
export function stockLines(s: ScenarioAudit, p: PhaseAudit, onlyWrong: boolean): string[] {
  return p.verdict.stock
    .filter((row) => row.observed !== null && (!onlyWrong || row.observed < row.min || row.observed > row.max))
    .map((row) => `${phaseLabel(s, p)} SKU ${row.sku}: final ${row.observed}, ${describeAllowed(row)}`);
}

/** "SKU 800001 final 0 = expected 0, …" for one phase; an off row names the class that judged it. */
export function compactStock(p: PhaseAudit): string {
  const expiry = p.verdict.checks.find((c) => c.id === "hold-expiry" && c.status === "fail");
  return p.verdict.stock
    .map((row) => {
      const allowed = row.min === row.max ? `${row.min}` : `${row.min}…${row.max}`;
      const off = row.observed !== null && (row.observed < row.min || row.observed > row.max);
      return `SKU ${row.sku} final ${row.observed ?? "not observed"}, expected ${allowed}${off && expiry !== undefined ? " (see hold expiry)" : ""}`;
    })
    .join("; ");
}

export function passEvidence(klass: FailureClass, audits: readonly ScenarioAudit[]): string[] {
  const phases = audits.flatMap((s) => s.phases.map((p) => ({ s, p })));
  const sent = phases
    .flatMap(({ p }) => p.result.phases.flatMap((r) => r.observations))
    .filter((o) => o.klass !== "not-sent");
  switch (klass.id) {
    case "errors-under-contention":
      return [`0 of ${sent.length} requests answered 5xx`];
    case "timeouts":
      return [`all ${sent.length} requests answered in time`];
    case "wrong-rejection": {
      // The refusals judged, in the server's own codes (a SOLD_OUT is judged like an OUT_OF_STOCK).
      const refused = sent.filter((o) => o.request.kind === "reserve" && isRefusal(o));
      const why = refused.some((o) => o.outcome === "DUPLICATE_PAYMENT_ORDER")
        ? "stock taken or an earlier use of its paymentOrderId"
        : "stock taken";
      const codes = refused.length === 0 ? "" : ` (${tally(refused)})`;
      return [`${plural(refused.length, "refused reservation")} judged${codes}, every one explained by ${why}`];
    }
    case "oversell": {
      const ok = sent.filter((o) => o.request.kind === "reserve" && o.klass === "ok").length;
      return [`${ok} accepted reservations never held more units than existed`];
    }
    case "lost-update":
      return phases.map(({ s, p }) => `${phaseLabel(s, p)}: ${compactStock(p)}`);
    case "double-restore": {
      const withCancels = phases.filter(({ p }) =>
        p.result.phases.some((r) => r.observations.some((o) => o.request.kind === "cancel" && o.klass === "ok")),
      );
      return withCancels.map(({ s, p }) => {
        const cancels = p.result.phases
          .flatMap((r) => r.observations)
          .filter((o) => o.request.kind === "cancel" && o.klass === "ok");
        const orders = new Set(cancels.map((o) => o.request.paymentOrderId)).size;
        const off = p.verdict.stock.some((r) => r.observed !== null && (r.observed < r.min || r.observed > r.max));
        const expiry = p.verdict.checks.some((c) => c.id === "hold-expiry" && c.status === "fail");
        const reading = off
          ? `the stock is off by more than repeated cancels could restore (see ${expiry ? "hold expiry" : "lost update"})`
          : "each restored once";
        return `${phaseLabel(s, p)}: ${cancels.length} cancels accepted on ${orders} orders, ${reading} — ${compactStock(p)}`;
      });
    }
    case "paid-and-cancelled": {
      const raced = sent.filter((o) => o.request.raced && o.request.kind !== "reserve").length;
      return [`no order both paid and cancelled (${raced} racing pay/cancel requests)`];
    }
    case "hold-expiry": {
      const held = phases.filter(({ p }) => p.verdict.expiry.declared !== null);
      return held.map(({ s, p }) => {
        const ttl = p.verdict.expiry.declared;
        const holds = p.result.phases
          .flatMap((r) => r.observations)
          .filter((o) => o.request.kind === "reserve" && o.klass === "ok").length;
        return `${phaseLabel(s, p)}: ${holds} holds (TTL ${ttl?.ttlMs} ms + ${ttl?.graceMs} ms grace), none paid after release, released early or twice, none left held — ${compactStock(p)}${p.verdict.expiry.power === null ? "" : `; power: ${describePower(p.verdict.expiry.power)}`}`;
      });
    }
    case "ownership": {
      const owners = new Map(
        sent
          .filter((o) => o.request.kind === "reserve")
          .map((o) => [o.request.paymentOrderId, o.request.user.username]),
      );
      const foreign = sent.filter(
        (o) =>
          o.request.kind !== "reserve" &&
          (owners.get(o.request.paymentOrderId) ?? o.request.user.username) !== o.request.user.username,
      );
      return [`no user paid or cancelled another user's order (${plural(foreign.length, "attempt")})`];
    }
  }
}
