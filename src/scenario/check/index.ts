import type { ExpectedOutcome } from "../model.js";
import type { Observation, RunResult } from "../runner.js";
import { countOutcomes, type Latency, latencyOf } from "../stats.js";
import { evaluateThreshold, type ThresholdResult } from "../thresholds.js";
import { casesOf, isSerial } from "../types.js";
import { phaseHistory } from "./history.js";
import { groupDivergences, judgeOrders } from "./orders.js";
import { balances, judgeConservation, judgeOversell, judgeRejections } from "./stock.js";
import { type Check, type Divergence, isIndeterminate, type RequestRef, refOf, type Violation } from "./types.js";

export interface CaseSummary {
  readonly name: string;
  readonly kind: string;
  /** Fired together with other cases: its own counts depend on who wins. */
  readonly raced: boolean;
  readonly model: Readonly<Record<string, number>>;
  readonly observed: Readonly<Record<string, number>>;
  readonly classes: {
    readonly ok: number;
    readonly rejected: number;
    readonly other4xx: number;
    readonly serverErrors: number;
    readonly timeouts: number;
    readonly network: number;
    readonly notSent: number;
  };
  readonly latency: Latency;
  readonly matchesModel: boolean;
}

export interface StockRow {
  readonly phase: string;
  readonly sku: number;
  readonly initial: number;
  readonly reserved: number;
  readonly restored: number;
  readonly paid: number;
  /** The model's final available stock (sequential prediction). */
  readonly model: number;
  /** What conservation allows given the observed answers. */
  readonly min: number;
  readonly max: number;
  /** From the test-control snapshot; null when not observed. */
  readonly observed: number | null;
}

export interface Verdict {
  readonly verdict: "pass" | "fail";
  readonly checks: readonly Check[];
  readonly violations: readonly Violation[];
  readonly divergences: readonly Divergence[];
  readonly cases: readonly CaseSummary[];
  readonly stock: readonly StockRow[];
  readonly latency: Latency;
  readonly requests: number;
  readonly rps: number;
  readonly thresholds: readonly ThresholdResult[];
  readonly indeterminate: {
    readonly count: number;
    readonly byOutcome: Record<string, number>;
    readonly examples: readonly RequestRef[];
  };
}

const check = (
  id: string,
  title: string,
  violations: Violation[],
  passSummary: string,
  status?: Check["status"],
): Check => ({
  id,
  title,
  status: status ?? (violations.length > 0 ? "fail" : "pass"),
  summary: violations.length > 0 ? `${violations.length} violation${violations.length === 1 ? "" : "s"}` : passSummary,
  violations,
});

const sameCounts = (a: Readonly<Record<string, number>>, b: Readonly<Record<string, number>>) => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
};

const sum = (records: readonly Readonly<Record<string, number>>[]) => {
  const total: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) total[k] = (total[k] ?? 0) + v;
  return total;
};

/** Sequential traffic: every answer must be the model's, or differ only where the reference contract allows a choice. */
function judgeSteps(phase: string, observations: readonly Observation[], expected: readonly ExpectedOutcome[]) {
  const violations: Violation[] = [];
  const divergent: { observation: Observation; reference: string }[] = [];
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

/** Judges a run: invariants, admissible outcomes, the model's counts, final stock and thresholds. */
export function checkRun(result: RunResult): Verdict {
  const { scenario, model } = result;
  // Step-by-step equality holds only for serial traffic without races: once a raced step may be won
  // by either case, later steps and the counts can legally differ from the model's listed order.
  const raced = scenario.round.some((step) => step.cases.length > 1);
  const stepwise = (traffic: Parameters<typeof isSerial>[0]) => isSerial(traffic) && !raced;
  const all = result.phases.flatMap((p) => p.observations);
  const sent = all.filter((o) => o.klass !== "not-sent");
  const checks: Check[] = [];
  const violations: Violation[] = [];
  const divergences: Divergence[] = [];
  const stock: StockRow[] = [];

  checks.push({
    id: "setup",
    title: "Setup (login, stock, snapshot)",
    status: result.setupError === null ? "pass" : "fail",
    summary: result.setupError ?? "logged in and set up",
    violations: [],
  });

  const oversell: Violation[] = [];
  const rejections: Violation[] = [];
  const orders: Violation[] = [];
  const conservation: Violation[] = [];
  const doubleRestore: Violation[] = [];
  const steps: Violation[] = [];
  const invariant: Violation[] = [];
  let snapshots = 0;
  for (const phase of result.phases) {
    const modelPhase = model.phases[phase.index];
    const history = phaseHistory(scenario, phase, modelPhase?.initial ?? {});
    const judged = judgeOrders(history, model.expected);
    orders.push(...judged.violations);
    rejections.push(...judgeRejections(history));
    oversell.push(...judgeOversell(history));
    const conserved = judgeConservation(history);
    conservation.push(...conserved.conservation);
    doubleRestore.push(...conserved.doubleRestore);
    const divergent = [...judged.divergent];
    if (stepwise(phase.traffic)) {
      const stepped = judgeSteps(phase.name, phase.observations, model.expected);
      steps.push(...stepped.violations);
      const seen = new Set(divergent.map((d) => d.observation.request.seq));
      divergent.push(...stepped.divergent.filter((d) => !seen.has(d.observation.request.seq)));
    }
    divergences.push(...groupDivergences(phase.name, divergent));
    for (const [when, snap] of [
      ["before", phase.before],
      ["after", phase.after],
    ] as const) {
      if (snap === null) continue;
      snapshots++;
      for (const s of snap.skus.filter((x) => !x.invariantHolds)) {
        invariant.push({
          check: "invariant",
          phase: phase.name,
          sku: s.productStockId,
          message: `The snapshot ${when} the phase breaks the invariant for SKU ${s.productStockId}: initial ${s.initial} ≠ available ${s.available} + held ${s.held} + paid ${s.paid}, or held/paid disagree with the orders.`,
          expected: "initial = available + held + paid, available ≥ 0",
          observed: `initial ${s.initial}, available ${s.available}, held ${s.held}, paid ${s.paid}`,
          requests: [],
        });
      }
    }
    for (const b of balances(history)) {
      stock.push({ phase: phase.name, ...b, model: modelPhase?.final[b.sku] ?? 0 });
    }
  }
  const observedStock = stock.some((s) => s.observed !== null);
  checks.push(check("oversell", "No oversell", oversell, "never more units held than existed"));
  checks.push(
    check("rejections", "Every OUT_OF_STOCK justified", rejections, "every refusal explained by stock taken"),
  );
  checks.push(
    check("orders", "Orders consistent (one hold per id, pay/cancel)", orders, "every order's answers consistent"),
  );
  checks.push(
    check(
      "conservation",
      "Conservation per SKU",
      conservation,
      observedStock ? "final stock = initial − reserved + restored" : "not observed (no snapshot)",
      observedStock ? undefined : "skip",
    ),
  );
  checks.push(
    check(
      "double-restore",
      "No double restore",
      doubleRestore,
      observedStock ? "each cancel restored once" : "not observed (no snapshot)",
      observedStock || doubleRestore.length > 0 ? undefined : "skip",
    ),
  );
  checks.push(
    check(
      "invariant",
      "Snapshot invariant",
      invariant,
      snapshots > 0 ? `${snapshots} snapshots hold` : "no snapshot",
      snapshots > 0 || invariant.length > 0 ? undefined : "skip",
    ),
  );
  if (result.phases.some((p) => stepwise(p.traffic))) {
    checks.push(check("model-steps", "Sequential steps equal the model", steps, "every step as the model predicts"));
  }
  violations.push(...oversell, ...rejections, ...orders, ...conservation, ...doubleRestore, ...invariant, ...steps);

  // Indeterminate answers: 5xx, timeouts, network errors.
  const unknown = sent.filter(isIndeterminate);
  const byOutcome = countOutcomes(unknown);
  const notSent = all.length - sent.length;
  const allowed = scenario.expectations.allowIndeterminate;
  checks.push({
    id: "indeterminate",
    title: "No 5xx, timeouts or network errors",
    status: unknown.length > allowed ? "fail" : "pass",
    summary:
      unknown.length === 0
        ? "none"
        : `${unknown.length} (${Object.entries(byOutcome)
            .map(([k, v]) => `${k} ×${v}`)
            .join(", ")}); ${allowed} allowed`,
    violations: [],
  });
  checks.push({
    id: "time-bound",
    title: "Run completed within its time bound",
    status: result.timedOut || notSent > 0 ? "fail" : "pass",
    summary: result.timedOut
      ? `cut off; ${notSent} requests never sent`
      : notSent > 0
        ? `${notSent} requests never sent`
        : "completed",
    violations: [],
  });

  // Per-case counts against the model (or explicit expectations).
  const selected = new Set(result.phases.map((p) => p.index));
  const modelCounts = (name: string) =>
    sum(model.phases.filter((_, i) => selected.has(i)).map((p) => p.counts[name] ?? {}));
  const allSequential = result.phases.every((p) => stepwise(p.traffic));
  const cases: CaseSummary[] = casesOf(scenario).map((c) => {
    const mine = all.filter((o) => o.request.caseName === c.name);
    const observed = countOutcomes(mine.filter((o) => o.klass !== "not-sent"));
    const expected = modelCounts(c.name);
    const byClass = (k: Observation["klass"]) => mine.filter((o) => o.klass === k).length;
    return {
      name: c.name,
      kind: c.action.kind,
      raced: c.raced,
      model: expected,
      observed,
      classes: {
        ok: byClass("ok"),
        rejected: byClass("rejected"),
        other4xx: byClass("other-4xx"),
        serverErrors: byClass("5xx"),
        timeouts: byClass("timeout"),
        network: byClass("network") + byClass("aborted"),
        notSent: byClass("not-sent"),
      },
      latency: latencyOf(mine),
      matchesModel: sameCounts(observed, expected),
    };
  });
  const countProblems: string[] = [];
  const codesDiffer: string[] = [];
  if (scenario.expectations.counts === "model") {
    for (const step of scenario.round) {
      const names = step.cases.map((c) => c.name);
      const rows = cases.filter((c) => names.includes(c.name));
      if (step.cases.length > 1) {
        // Who wins a race is not determined; the number of successes usually is (a warning otherwise).
        const okModel = rows.reduce((s, r) => s + (r.model.ok ?? 0), 0);
        const okSeen = rows.reduce((s, r) => s + (r.observed.ok ?? 0), 0);
        if (okModel !== okSeen) countProblems.push(`${names.join(" + ")}: ${okSeen} ok, the model ${okModel}`);
      } else {
        // Refusals in the server's own words are divergences (listed apart); the numbers must agree.
        for (const r of rows.filter((x) => !x.matchesModel)) {
          const modelOk = r.model.ok ?? 0;
          const modelRefused = Object.values(r.model).reduce((a, b) => a + b, 0) - modelOk;
          const c = r.classes;
          const same =
            c.ok === modelOk &&
            c.rejected + c.other4xx === modelRefused &&
            c.serverErrors + c.timeouts + c.network + c.notSent === 0;
          if (same) codesDiffer.push(r.name);
          else countProblems.push(`${r.name}: ${JSON.stringify(r.observed)}, the model ${JSON.stringify(r.model)}`);
        }
      }
    }
  } else {
    for (const [name, expected] of Object.entries(scenario.expectations.counts)) {
      const row = cases.find((c) => c.name === name);
      for (const [outcome, n] of Object.entries(expected)) {
        const seen = row?.observed[outcome] ?? 0;
        if (seen !== n) countProblems.push(`${name}.${outcome}: ${seen}, expected ${n}`);
      }
    }
  }
  const correct = violations.length === 0;
  const strictCounts = scenario.expectations.counts !== "model" || allSequential;
  checks.push({
    id: "counts",
    title:
      scenario.expectations.counts === "model" ? "Per-case counts equal the model's" : "Per-case counts as expected",
    status: countProblems.length === 0 ? "pass" : strictCounts || !correct ? "fail" : "warn",
    summary:
      countProblems.length === 0
        ? codesDiffer.length === 0
          ? "all cases as predicted"
          : `as predicted; refused with other codes in ${codesDiffer.join(", ")} (see divergences)`
        : `${countProblems.join("; ")}${!strictCounts && correct ? " — explained by the interleaving (every answer admissible)" : ""}`,
    violations: [],
  });

  // Final stock after the last phase.
  const last = result.phases.at(-1);
  const finalRows = stock.filter((s) => s.phase === last?.name);
  if (finalRows.length === 0 || finalRows.every((r) => r.observed === null)) {
    checks.push({
      id: "final-stock",
      title: "Final stock",
      status: "skip",
      summary: "not observed (no snapshot)",
      violations: [],
    });
  } else {
    const explicit = scenario.expectations.finalStock !== "model" ? scenario.expectations.finalStock : null;
    const wrong = finalRows.filter(
      (r) => r.observed !== (explicit === null ? r.model : (explicit[r.sku] ?? r.observed)),
    );
    const explained =
      explicit === null && (countProblems.length > 0 || unknown.length > 0 || cases.some((c) => c.raced)) && correct;
    checks.push({
      id: "final-stock",
      title: explicit === null ? "Final stock equals the model's" : "Final stock as expected",
      status: wrong.length === 0 ? "pass" : explained ? "warn" : "fail",
      summary:
        wrong.length === 0
          ? finalRows.map((r) => `${r.sku}: ${r.observed}`).join(", ")
          : `${wrong.map((r) => `SKU ${r.sku}: ${r.observed}, expected ${explicit?.[r.sku] ?? r.model}`).join("; ")}${explained ? " — the outcomes differ from the sequential model, and conservation holds" : ""}`,
      violations: [],
    });
  }

  const latency = latencyOf(sent);
  const activeMs = result.phases.reduce((s, p) => s + (p.endedAt - p.startedAt), 0);
  const rps = activeMs > 0 ? sent.length / (activeMs / 1000) : 0;
  const metrics = {
    percentile: latency.percentile,
    avg: latency.avg,
    min: latency.min,
    max: latency.max,
    med: latency.p50,
    errors: unknown.length,
    indeterminate: unknown.length,
    timeouts: sent.filter((o) => o.klass === "timeout").length,
    server_errors: sent.filter((o) => o.klass === "5xx").length,
    rejected: sent.filter((o) => o.klass === "rejected" || o.klass === "other-4xx").length,
    rps,
  };
  const thresholds = scenario.expectations.thresholds.map((t) => evaluateThreshold(t, metrics));
  if (thresholds.length > 0) {
    const failed = thresholds.filter((t) => !t.passed);
    checks.push({
      id: "thresholds",
      title: "Thresholds",
      status: failed.length === 0 ? "pass" : "fail",
      summary: thresholds
        .map(
          (t) =>
            `${t.expression} (${Number.isInteger(t.value) ? t.value : t.value.toFixed(2)}) ${t.passed ? "✓" : "✗"}`,
        )
        .join(", "),
      violations: [],
    });
  }

  const { percentile: _, ...latencySummary } = latency;
  return {
    verdict: checks.some((c) => c.status === "fail") ? "fail" : "pass",
    checks,
    violations,
    divergences,
    cases: cases.map(({ latency: l, ...rest }) => {
      const { percentile: __, ...plain } = l as Latency & { percentile?: unknown };
      return { ...rest, latency: plain };
    }),
    stock,
    latency: latencySummary,
    requests: sent.length,
    rps,
    thresholds,
    indeterminate: {
      count: unknown.length,
      byOutcome,
      examples: unknown
        .slice(0, 10)
        .map((o) => refOf(result.phases.find((p) => p.index === o.request.phase)?.name ?? "", o)),
    },
  };
}
