import { formatDuration } from "../../config/duration.js";
import { countOutcomes } from "../stats.js";
import type { CheckContext, PhaseView, StockRow } from "./context.js";
import { judgeOversell, judgeRejections } from "./stock.js";
import { type Check, type CheckId, type Judgement, judgedBy, notJudged, refOf, type Violation } from "./types.js";

/** One check of the run: a new check is one more entry in `checks`. */
export interface CheckDefinition {
  readonly id: CheckId;
  /** The title, or a function of the run when it depends on the scenario's expectations. */
  readonly title: string | ((ctx: CheckContext) => string);
  /** False when the check does not apply to the run; it is then left out. Default: it applies. */
  readonly applies?: (ctx: CheckContext) => boolean;
  /** `earlier`: the checks before this one in the list, as judged. */
  judge(ctx: CheckContext, earlier: readonly Check[]): Judgement;
}

const notObserved = "not observed (no snapshot)";
const stockObserved = (ctx: CheckContext) => ctx.stock.some((s) => s.observed !== null);
/** True when no earlier check found a violation: every answer was admissible. */
const admissible = (earlier: readonly Check[]) => earlier.every((c) => c.violations.length === 0);

/** The rows of the last phase, or null when its final stock was not observed. */
function finalRows(ctx: CheckContext): StockRow[] | null {
  const last = ctx.result.phases.at(-1);
  const rows = ctx.stock.filter((s) => s.phase === last?.name);
  return rows.length === 0 || rows.every((r) => r.observed === null) ? null : rows;
}

function invariantViolations(ctx: CheckContext): { snapshots: number; violations: Violation[] } {
  let snapshots = 0;
  const violations: Violation[] = [];
  for (const { run } of ctx.phases) {
    for (const [when, snap] of [
      ["before", run.before],
      ["after", run.after],
    ] as const) {
      if (snap === null) continue;
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
function excusedByExpiry(p: PhaseView, v: Violation): boolean {
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
function judgedUnlessExpiry(
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
function expiryMakesTimingMatter(ctx: CheckContext): string | null {
  const suspected = ctx.phases.find((p) => p.expiry.suspected !== null)?.expiry.suspected;
  if (suspected !== undefined && suspected !== null) return suspected.message;
  if (ctx.phases.some((p) => p.expiry.inPlay))
    return "outcomes depend on where in each hold's release window the server released it (hold TTL declared); judged by conservation and hold expiry";
  return null;
}

/** The checks in report order. Invariants first: later checks weigh their findings. */
export const checks: readonly CheckDefinition[] = [
  {
    id: "setup",
    title: "Setup (login, stock, snapshot)",
    judge: ({ result }) =>
      result.setupError === null
        ? { status: "pass", summary: "logged in and set up" }
        : { status: "fail", summary: result.setupError },
  },
  {
    id: "oversell",
    title: "No oversell",
    judge: (ctx) =>
      judgedUnlessExpiry(ctx, (p) => judgeOversell(p.history, p.expiry.declared), "never more units held than existed"),
  },
  {
    id: "rejections",
    title: "Every OUT_OF_STOCK justified",
    judge: (ctx) =>
      judgedBy(
        ctx.phases.flatMap((p) => judgeRejections(p.history, p.expiry.declared)),
        "every refusal explained by stock taken",
      ),
  },
  {
    id: "orders",
    title: "Orders consistent (one hold per id, pay/cancel)",
    judge: (ctx) =>
      judgedUnlessExpiry(
        ctx,
        (p) => p.orders.violations.filter((v) => v.check !== "released-early"),
        "every order's answers consistent",
      ),
  },
  {
    id: "duplicate-hold",
    title: "One hold per paymentOrderId (a repeated 200 took no stock)",
    // Listed only when some paymentOrderId was answered 200 to more than one reservation.
    applies: (ctx) =>
      ctx.phases.some((p) =>
        [...p.history.orders.values()].some((o) => o.reserves.filter((r) => r.klass === "ok").length > 1),
      ),
    judge: (ctx) => judgeReplays(ctx),
  },
  {
    id: "conservation",
    title: "Conservation per SKU",
    judge: (ctx) =>
      stockObserved(ctx)
        ? judgedUnlessExpiry(
            ctx,
            (p) => p.conservation.conservation,
            ctx.phases.some((p) => p.expiry.declared !== null)
              ? "final stock = initial − paid (every unpaid hold released after ttl + grace)"
              : "final stock = initial − reserved + restored",
          )
        : notJudged(notObserved),
  },
  {
    id: "double-restore",
    title: "No double restore",
    judge: (ctx) =>
      stockObserved(ctx)
        ? judgedUnlessExpiry(ctx, (p) => p.conservation.doubleRestore, "each cancel restored once")
        : notJudged(notObserved),
  },
  {
    id: "invariant",
    title: "Snapshot invariant",
    judge: (ctx) => {
      const { snapshots, violations } = invariantViolations(ctx);
      return snapshots > 0 ? judgedBy(violations, `${snapshots} snapshots hold`) : notJudged("no snapshot");
    },
  },
  {
    id: "model-steps",
    title: "Sequential steps equal the model",
    applies: (ctx) => ctx.phases.some((p) => p.stepwise),
    judge: (ctx) => {
      const timing = expiryMakesTimingMatter(ctx);
      if (timing !== null) return notJudged(timing);
      return judgedBy(
        ctx.phases.flatMap((p) => p.steps?.violations ?? []),
        "every step as the model predicts",
      );
    },
  },
  {
    id: "indeterminate",
    title: "No 5xx, timeouts or network errors",
    judge: (ctx) => {
      const unknown = ctx.indeterminate;
      const allowed = ctx.scenario.expectations.allowIndeterminate;
      const byOutcome = Object.entries(countOutcomes(unknown)).map(([k, v]) => `${k} ×${v}`);
      return {
        status: unknown.length > allowed ? "fail" : "pass",
        summary: unknown.length === 0 ? "none" : `${unknown.length} (${byOutcome.join(", ")}); ${allowed} allowed`,
      };
    },
  },
  {
    id: "time-bound",
    title: "Run completed within its time bound",
    judge: (ctx) => {
      const notSent = ctx.observations.length - ctx.sent.length;
      return {
        status: ctx.result.timedOut || notSent > 0 ? "fail" : "pass",
        summary: ctx.result.timedOut
          ? `cut off; ${notSent} requests never sent`
          : notSent > 0
            ? `${notSent} requests never sent`
            : "completed",
      };
    },
  },
  {
    id: "counts",
    title: (ctx) =>
      ctx.scenario.expectations.counts === "model"
        ? "Per-case counts equal the model's"
        : "Per-case counts as expected",
    judge: (ctx, earlier) => {
      const timing = expiryMakesTimingMatter(ctx);
      if (timing !== null) return notJudged(timing);
      const { problems, codesDiffer } = ctx.counts;
      const correct = admissible(earlier);
      // Raced or concurrent traffic may legally count differently from the sequential model.
      const strict = ctx.scenario.expectations.counts !== "model" || ctx.phases.every((p) => p.stepwise);
      if (problems.length === 0) {
        return {
          status: "pass",
          summary:
            codesDiffer.length === 0
              ? "all cases as predicted"
              : `as predicted; refused with other codes in ${codesDiffer.join(", ")} (see divergences)`,
        };
      }
      return {
        status: strict || !correct ? "fail" : "warn",
        summary: `${problems.join("; ")}${!strict && correct ? " — explained by the interleaving (every answer admissible)" : ""}`,
      };
    },
  },
  {
    id: "final-stock",
    title: (ctx) =>
      finalRows(ctx) === null
        ? "Final stock"
        : ctx.scenario.expectations.finalStock === "model"
          ? "Final stock equals the model's"
          : "Final stock as expected",
    judge: (ctx, earlier) => {
      const rows = finalRows(ctx);
      if (rows === null) return notJudged(notObserved);
      const timing = expiryMakesTimingMatter(ctx);
      if (timing !== null) return notJudged(timing);
      if (ctx.phases.some((p) => p.expiry.declared !== null))
        return notJudged(
          "every unpaid hold is released before final stock is observed (hold TTL declared): judged by conservation, initial − paid",
        );
      const explicit = ctx.scenario.expectations.finalStock !== "model" ? ctx.scenario.expectations.finalStock : null;
      const wrong = rows.filter((r) => r.observed !== (explicit === null ? r.model : (explicit[r.sku] ?? r.observed)));
      if (wrong.length === 0) return { status: "pass", summary: rows.map((r) => `${r.sku}: ${r.observed}`).join(", ") };
      const explained =
        explicit === null &&
        (ctx.counts.problems.length > 0 || ctx.indeterminate.length > 0 || ctx.cases.some((c) => c.raced)) &&
        admissible(earlier);
      return {
        status: explained ? "warn" : "fail",
        summary: `${wrong.map((r) => `SKU ${r.sku}: ${r.observed}, expected ${explicit?.[r.sku] ?? r.model}`).join("; ")}${explained ? " — the outcomes differ from the sequential model, and conservation holds" : ""}`,
      };
    },
  },
  {
    id: "hold-expiry",
    title: (ctx) => {
      const ttl = ctx.scenario.holdTtl;
      return ttl === null
        ? "Hold expiry"
        : `Hold expiry (TTL ${formatDuration(ttl.ttlMs)}, grace ${formatDuration(ttl.graceMs)})`;
    },
    applies: (ctx) => ctx.phases.some((p) => p.expiry.declared !== null || p.expiry.suspected !== null),
    judge: (ctx) => {
      const suspected = ctx.phases.find((p) => p.expiry.suspected !== null)?.expiry.suspected;
      if (suspected !== undefined && suspected !== null) return notJudged(suspected.message);
      const violations = ctx.phases.flatMap((p) => [
        ...p.orders.violations.filter((v) => v.check === "released-early"),
        ...(p.expiry.findings?.expiry ?? []),
      ]);
      if (violations.length === 0 && !stockObserved(ctx))
        return notJudged("final stock not observed: paid after release, never released and released twice need it");
      return judgedBy(violations, "every unpaid hold released once, within its window; no pay accepted after release");
    },
  },
  {
    id: "thresholds",
    title: "Thresholds",
    applies: (ctx) => ctx.thresholds.length > 0,
    judge: (ctx) => ({
      status: ctx.thresholds.every((t) => t.passed) ? "pass" : "fail",
      summary: ctx.thresholds
        .map(
          (t) =>
            `${t.expression} (${Number.isInteger(t.value) ? t.value : t.value.toFixed(2)}) ${t.passed ? "✓" : "✗"}`,
        )
        .join(", "),
    }),
  },
];

/**
 * Two 200s for one paymentOrderId are a duplicate hold only when stock was taken twice. With final
 * stock observed: a shortfall on a SKU such an order names fails (conservation fails too); none
 * means the server replayed its answer idempotently (a divergence). Without final stock: not judged.
 */
function judgeReplays(ctx: CheckContext): Judgement {
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

/** Judges every check that applies, in list order. */
export function judgeChecks(ctx: CheckContext, list: readonly CheckDefinition[] = checks): Check[] {
  const judged: Check[] = [];
  for (const definition of list) {
    if (definition.applies !== undefined && !definition.applies(ctx)) continue;
    const judgement = definition.judge(ctx, judged);
    judged.push({
      id: definition.id,
      title: typeof definition.title === "string" ? definition.title : definition.title(ctx),
      status: judgement.status,
      summary: judgement.status === "skip" ? judgement.reason : judgement.summary,
      violations: judgement.status === "skip" ? [] : (judgement.violations ?? []),
    });
  }
  return judged;
}
