/**
 * @module
 * The failing run made readable: who sent what when, what came back, what the stock did.
 */

import type { PhaseAudit } from "../audit/scenario-audit.js";
import type { Observation } from "../scenario/runner.js";
import type { JudgedRun } from "./judge.js";

/** One request of the failing run, its times in ms from the first request listed. */
export interface InterleavedRequest {
  readonly seq: number;
  readonly round: number;
  readonly caseName: string;
  readonly kind: string;
  readonly paymentOrderId: string;
  /** "311191×1, 311192×1" for a reservation; "" otherwise. */
  readonly lines: string;
  readonly sentMs: number | null;
  readonly answeredMs: number | null;
  readonly status: number | null;
  readonly outcome: string;
}

/** One SKU before and after the failing run, and what conservation expects after it from the answers given. */
export interface SkuBeforeAfter {
  readonly sku: number;
  readonly before: number | null;
  readonly after: number | null;
  readonly allowed: string;
}

/** The failing run, small enough to read: who sent what when, what came back, what the stock did. */
export interface Interleaving {
  readonly phase: string;
  readonly requests: readonly InterleavedRequest[];
  /** Requests of the run left out of `requests` (only the ones the class names and their orders are kept). */
  readonly omitted: number;
  readonly stock: readonly SkuBeforeAfter[];
  /** The class's own evidence lines from the run. */
  readonly evidence: readonly string[];
}

/** At most this many requests are listed; a shrunk scenario has fewer. */
const listed = 24;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** The phase in which the class failed: the one its first named request is in, else the last. */
function failingPhase(run: JudgedRun): PhaseAudit | undefined {
  const named = run.verdict?.requests[0]?.phase;
  const phases = run.audit.phases;
  return phases.find((p) => named !== undefined && (named === p.name || named.endsWith(`/${p.name}`))) ?? phases.at(-1);
}

/** Every sent request when there are few; else the ones the class names and the others of their orders. */
function chosen(run: JudgedRun, observations: readonly Observation[]): Observation[] {
  const sent = observations.filter((o) => o.sentAt !== null);
  if (sent.length <= listed) return sent;
  const named = new Set((run.verdict?.requests ?? []).map((r) => r.seq));
  const orders = new Set(sent.filter((o) => named.has(o.request.seq)).map((o) => o.request.paymentOrderId));
  return sent.filter((o) => named.has(o.request.seq) || orders.has(o.request.paymentOrderId)).slice(0, listed);
}

/** The interleaving of a failing run, for the text and HTML reports. */
export function interleavingOf(run: JudgedRun): Interleaving {
  const phase = failingPhase(run);
  if (phase === undefined) return { phase: "", requests: [], omitted: 0, stock: [], evidence: [] };
  const observations = phase.result.phases.flatMap((r) => r.observations);
  const picked = [...chosen(run, observations)].sort((a, b) => (a.sentAt ?? 0) - (b.sentAt ?? 0));
  const zero = picked[0]?.sentAt ?? 0;
  const requests = picked.map(
    (o): InterleavedRequest => ({
      seq: o.request.seq,
      round: o.request.round,
      caseName: o.request.caseName,
      kind: o.request.kind,
      paymentOrderId: o.request.paymentOrderId,
      lines: o.request.kind === "reserve" ? o.request.lines.map((l) => `${l.sku}×${l.count}`).join(", ") : "",
      sentMs: o.sentAt === null ? null : round2(o.sentAt - zero),
      answeredMs: o.endedAt === null ? null : round2(o.endedAt - zero),
      status: o.status,
      outcome: o.outcome,
    }),
  );
  const judged = phase.result.phases[0];
  const given = new Map(run.audit.scenario.skus.map((s) => [s.productStockId, s.stock]));
  const before = new Map(judged?.before?.skus.map((s) => [s.productStockId, s.available]) ?? []);
  const after = new Map(judged?.after?.skus.map((s) => [s.productStockId, s.available]) ?? []);
  const stock = phase.verdict.stock.map(
    (row): SkuBeforeAfter => ({
      sku: row.sku,
      // Without a snapshot before the run, the stock is what the set-up put there: the given stock.
      before: before.get(row.sku) ?? given.get(row.sku) ?? null,
      after: row.observed ?? after.get(row.sku) ?? null,
      allowed: row.min === row.max ? `${row.min}` : `${row.min}…${row.max}`,
    }),
  );
  const sent = observations.filter((o) => o.sentAt !== null).length;
  return {
    phase: phase.name,
    requests,
    omitted: sent - requests.length,
    stock,
    evidence: run.verdict?.evidence ?? [],
  };
}

const pad = (text: string, width: number) => text.padEnd(width);
const ms = (n: number | null) => (n === null ? "—" : n.toFixed(2));

/** The interleaving as text: one line a request, in the order they were sent, then the stock. */
export function interleavingText(interleaving: Interleaving): string[] {
  const caseWidth = Math.max(4, ...interleaving.requests.map((r) => r.caseName.length));
  const lines = [
    `  ${pad("sent", 8)} ${pad("answered", 9)} ${pad("case", caseWidth)}  request → answer`,
    ...interleaving.requests.map((r) => {
      const what = r.kind === "reserve" ? `reserve ${r.paymentOrderId} [${r.lines}]` : `${r.kind} ${r.paymentOrderId}`;
      const answer = `${r.status ?? "no answer"} ${r.outcome}`;
      return `  ${pad(ms(r.sentMs), 8)} ${pad(ms(r.answeredMs), 9)} ${pad(r.caseName, caseWidth)}  ${what} → ${answer}`;
    }),
  ];
  if (interleaving.omitted > 0) lines.push(`  … ${interleaving.omitted} more requests not listed`);
  for (const s of interleaving.stock)
    lines.push(
      `  SKU ${s.sku}: stock before ${s.before ?? "not observed"}, after ${s.after ?? "not observed"} (expected from the answers: ${s.allowed})`,
    );
  return lines;
}
