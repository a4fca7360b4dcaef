/**
 * @module
 * The list of checks in report order; a new check is one more entry here.
 */

import { formatDuration } from "../../../base/config/duration.js";
import { countOutcomes } from "../stats.js";
import { describeContention, oversellUnreached } from "./contention.js";
import type { CheckContext } from "./context.js";
import { describePower, totalPower, unseenExpiryFaults } from "./expiry-power.js";
import {
  admissible,
  expiryMakesTimingMatter,
  finalRows,
  invariantViolations,
  judgedUnlessExpiry,
  judgeReplays,
  notObserved,
  stockObserved,
} from "./judging.js";
import { judgeOversell, judgeRejections } from "./stock.js";
import { type Check, type CheckId, type Judgement, judgedBy, notJudged } from "./types.js";
import { describeUnobservable, unobservableUnits } from "./unobservable.js";

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
    judge: (ctx) => {
      const judged = judgedUnlessExpiry(
        ctx,
        (p) => judgeOversell(p.history, p.expiry.declared),
        "never more units held than existed",
      );
      // A race that never happened proves nothing: a pass needs two reservations of a short SKU at once.
      const unreached = oversellUnreached(ctx.phases.map((p) => p.contention));
      if (judged.status !== "pass") return judged;
      if (unreached !== null) return notJudged(unreached);
      const peaks = ctx.phases.map((p) => describeContention(p.contention)).filter((d) => d !== "");
      return peaks.length === 0 ? judged : { ...judged, summary: `${judged.summary} (${peaks.join("; ")})` };
    },
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
      return snapshots > 0
        ? judgedBy(violations, `${snapshots} ${snapshots === 1 ? "snapshot holds" : "snapshots hold"}`)
        : notJudged(
            "no snapshot with held and paid stock (the test-control API's): available stock alone cannot show it",
          );
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
        summary:
          unknown.length === 0
            ? "none"
            : `${unknown.length} (${byOutcome.join(", ")}); ${allowed} allowed${describeUnobservable(unobservableUnits(ctx.phases))}`,
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
      const { problems, codesDiffer } = ctx.counts;
      const timing = expiryMakesTimingMatter(ctx);
      // Undeclared expiry could explain counts that differ from the model, never counts that equal
      // it: those are what was answered, whatever the final stock says.
      const suspected = ctx.phases.some((p) => p.expiry.suspected !== null);
      if (timing !== null && !(suspected && problems.length === 0)) return notJudged(timing);
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
      if (violations.length > 0) return judgedBy(violations, "");
      const power = totalPower(ctx.phases.map((p) => p.expiry.power));
      const unseen = unseenExpiryFaults(power);
      // Holds read while their windows were open hide a hold never released: that is missing power.
      // A fault the scenario never set up (no pay near a release, say) is named, and the audit's
      // class, which must see every one, is not judged on it.
      if (unseen.length === 3 || (power.closedAtRead === 0 && power.openAtRead > 0))
        return notJudged(`could not have seen ${unseen.join("; ")} — ${describePower(power)}`);
      const note = unseen.length === 0 ? "" : `; not exercised: ${unseen.map((u) => u.split(":")[0]).join(", ")}`;
      return judgedBy(
        [],
        `every unpaid hold released once, within its window; no pay accepted after release — ${describePower(power)}${note}`,
      );
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
