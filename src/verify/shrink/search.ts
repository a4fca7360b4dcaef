/**
 * @module
 * Searches for the smallest scenario that still fails a class against the target, a real server in the loop.
 */

import { type ClassId, failureClasses, isPowerless } from "../audit/classes.js";
import type { Scenario } from "../scenario/types.js";
import { shrinkPasses } from "./candidates.js";
import { loadDocument, type ScenarioDocument } from "./document.js";
import { type JudgedRun, type RunOnce, statusOf } from "./judge.js";
import { describeSize, isSmaller, type ScenarioSize, sizeOf } from "./size.js";
import { type KeepRule, runTrial, type Trial } from "./trial.js";

export const shrinkDefaults = {
  /** A candidate is kept when it fails in at least 3 of 5 runs. */
  rule: { runs: 5, keep: 3 } satisfies KeepRule,
  /** A first failure is rerun up to 20 times before it is called not reproduced. */
  reruns: 20,
  /** The file written is run 10 more times; it must fail in at least half of them. */
  confirm: 10,
  budgetMs: 120_000,
} as const;

export interface ShrinkOptions {
  readonly document: ScenarioDocument;
  /** Where the document came from, for the loader's messages. */
  readonly source: string;
  /** The class to reproduce; null: the first class (in the audit's table order) that fails. */
  readonly klass: ClassId | null;
  readonly run: RunOnce;
  /** What every loaded candidate needs before it runs (the --users and --client given, say). */
  readonly prepare?: (scenario: Scenario) => Scenario;
  readonly rule?: KeepRule;
  readonly reruns?: number;
  readonly confirm?: number;
  readonly budgetMs?: number;
  readonly onEvent?: (event: ShrinkEvent) => void;
}

/** What the search reports as it goes (the CLI prints it as progress). */
export type ShrinkEvent =
  | { readonly kind: "run"; readonly stage: "find" | "rerun" | "confirm"; readonly status: JudgedRun["status"] }
  | {
      readonly kind: "candidate";
      readonly tried: number;
      readonly change: string;
      readonly size: ScenarioSize;
      readonly trial: Trial;
      readonly best: ScenarioSize;
      readonly elapsedMs: number;
    };

/** A scenario the search kept, with the trial that kept it. */
export interface Kept {
  readonly document: ScenarioDocument;
  readonly scenario: Scenario;
  readonly size: ScenarioSize;
  readonly trial: Trial;
  /** What was changed to get here from the previous one kept ("" for the original). */
  readonly change: string;
}

export type ShrinkOutcome =
  | {
      /** The class never failed: nothing to shrink (passed, or unjudged in every run). */
      readonly kind: "nothing";
      readonly klass: ClassId | null;
      readonly runs: number;
      readonly passed: number;
      readonly unjudged: number;
      readonly unjudgedReason: string | null;
      /** Other classes that failed in those runs, when a class was named (they are not shrunk). */
      readonly othersFailed: readonly ClassId[];
      /** Classes no run could judge, when no class was named: nothing is said about them. */
      readonly neverJudged: readonly ClassId[];
      /** Why the first of them was not judged. */
      readonly neverJudgedReason: string | null;
      readonly ms: number;
    }
  | {
      /** It failed once, and not again in the reruns. */
      readonly kind: "not-reproduced";
      readonly klass: ClassId;
      readonly first: JudgedRun;
      readonly reruns: number;
      readonly rerunsFailed: number;
      readonly rerunsUnjudged: number;
      readonly ms: number;
    }
  | {
      readonly kind: "shrunk";
      readonly klass: ClassId;
      readonly original: Kept;
      /** The scenario written: the smallest kept that failed in at least half of its confirmation runs. */
      readonly result: Kept;
      readonly confirmation: Trial;
      /** True when no kept scenario failed in half of its confirmation runs (the last one confirmed is given). */
      readonly rare: boolean;
      /** Every scenario kept on the way, the original first. */
      readonly path: readonly Kept[];
      readonly candidatesTried: number;
      readonly runs: number;
      readonly budgetHit: boolean;
      readonly ms: number;
    };

const keyOf = (d: ScenarioDocument) => JSON.stringify(d);

/**
 * Searches for the smallest scenario that still fails `klass` against the target, the way a
 * property-based shrinker does, with a real server in the loop:
 *
 * 1. find: run the scenario (up to rule.runs times) until a class fails;
 * 2. rerun it (up to `reruns` times) until it has failed keep − 1 more times, else report it as
 *    not reproduced: nothing is ever shrunk from a failure that cannot be seen again;
 * 3. search: run the shrink passes (candidates.ts) over the smallest kept scenario, biggest cut
 *    first; run each candidate (k of n, see runTrial), keep the first that fails and run the same
 *    pass again from it; stop when a sweep of every pass keeps nothing or the budget is spent
 *    (room is left for step 4);
 * 4. confirm: run the smallest kept `confirm` times; when it fails in fewer than half, step back to
 *    the one before it (at most three are confirmed; the original's rate is that of its reruns).
 */
export async function shrink(options: ShrinkOptions): Promise<ShrinkOutcome> {
  const started = performance.now();
  const prepare = options.prepare ?? ((s: Scenario) => s);
  const search: Search = {
    options,
    rule: options.rule ?? shrinkDefaults.rule,
    budgetMs: options.budgetMs ?? shrinkDefaults.budgetMs,
    emit: options.onEvent ?? (() => {}),
    elapsed: () => performance.now() - started,
    load: (d) => {
      const s = loadDocument(d, options.source);
      return s === null ? null : prepare(s);
    },
    runs: 0,
  };
  const scenario = search.load(options.document);
  if (scenario === null) throw new Error(`${options.source} does not load as a scenario`);
  // 1. find
  const found = await findFailure(search, scenario);
  if (found.kind === "nothing") return found;
  // 2. rerun
  const { klass: target, first } = found;
  const reran = await rerun(search, scenario, target);
  if (reran.rerunsFailed === 0) return { kind: "not-reproduced", klass: target, first, ...reran, ms: search.elapsed() };
  // 3. search
  const originalTrial: Trial = {
    runs: 1 + reran.reruns,
    failed: 1 + reran.rerunsFailed,
    passed: reran.reruns - reran.rerunsFailed - reran.rerunsUnjudged,
    unjudged: reran.rerunsUnjudged,
    kept: true,
    failing: first,
    unjudgedReason: null,
    ms: first.ms,
  };
  const original: Kept = {
    document: options.document,
    scenario,
    size: sizeOf(scenario),
    trial: originalTrial,
    change: "",
  };
  const confirmRuns = options.confirm ?? shrinkDefaults.confirm;
  const { path, candidatesTried, budgetHit } = await searchSmaller(search, original, target, confirmRuns);
  // 4. confirm (the original's rate is known from its reruns: it is not run again)
  const { result, confirmation } = await confirmSmallest(search, path, target, confirmRuns);
  return {
    kind: "shrunk",
    klass: target,
    original,
    result,
    confirmation,
    rare: confirmation.failed * 2 < confirmation.runs,
    path,
    candidatesTried,
    runs: search.runs,
    budgetHit,
    ms: search.elapsed(),
  };
}

/** What every stage of one search shares; `runs` counts the target runs so far. */
interface Search {
  readonly options: ShrinkOptions;
  readonly rule: KeepRule;
  readonly budgetMs: number;
  readonly emit: (event: ShrinkEvent) => void;
  readonly elapsed: () => number;
  /** A document as a runnable scenario (prepared), or null when it does not load. */
  readonly load: (document: ScenarioDocument) => Scenario | null;
  runs: number;
}

/** Step 1: runs the scenario (up to rule.runs times) until the class (or, unnamed, any class) fails. */
async function findFailure(
  search: Search,
  scenario: Scenario,
): Promise<{ kind: "found"; klass: ClassId; first: JudgedRun } | Extract<ShrinkOutcome, { kind: "nothing" }>> {
  const { options, rule, emit } = search;
  let klass = options.klass;
  let first: JudgedRun | null = null;
  let passed = 0;
  let unjudged = 0;
  let unjudgedReason: string | null = null;
  const othersFailed = new Set<ClassId>();
  const judgedSomewhere = new Set<ClassId>();
  const seen = new Set<ClassId>();
  const whyUnjudged = new Map<ClassId, string>();
  for (let i = 0; i < rule.runs && first === null; i++) {
    const { audit, classes } = await options.run(scenario);
    search.runs++;
    if (audit.error === null)
      for (const v of classes) {
        seen.add(v.id);
        // A class the scenario itself cannot exercise is not one the target kept from being judged.
        if (v.verdict === "pass" || v.verdict === "fail" || isPowerless(v)) judgedSomewhere.add(v.id);
        else if (!whyUnjudged.has(v.id) && v.evidence[0] !== undefined) whyUnjudged.set(v.id, v.evidence[0]);
        if (v.verdict === "fail" && v.id !== klass) othersFailed.add(v.id);
      }
    // Without a class named, the first class (in the audit's table order) that failed.
    const chosen =
      klass ??
      (audit.error === null
        ? (failureClasses.find((c) => classes.some((v) => v.id === c.id && v.verdict === "fail"))?.id ?? null)
        : null);
    const judged = chosen === null ? null : statusOf(chosen, audit, classes);
    // Anything but a pass or a fail proves nothing (unjudged, or however a verdict without power is named).
    const allUnjudged = audit.error !== null || classes.every((v) => v.verdict !== "pass" && v.verdict !== "fail");
    const status = judged?.status ?? (allUnjudged ? "unjudged" : "pass");
    if (judged !== null && status === "fail") {
      klass = chosen;
      first = judged;
    } else if (status === "unjudged") {
      unjudged++;
      unjudgedReason ??= judged?.reason ?? audit.error ?? classes[0]?.evidence[0] ?? null;
    } else passed++;
    emit({ kind: "run", stage: "find", status });
  }
  if (first !== null && klass !== null) return { kind: "found", klass, first };
  const neverJudged =
    klass === null ? failureClasses.map((c) => c.id).filter((id) => seen.has(id) && !judgedSomewhere.has(id)) : [];
  return {
    kind: "nothing",
    klass,
    runs: search.runs,
    passed,
    unjudged,
    unjudgedReason,
    othersFailed: failureClasses.map((c) => c.id).filter((id) => othersFailed.has(id)),
    neverJudged,
    neverJudgedReason: neverJudged.map((id) => whyUnjudged.get(id)).find((r) => r !== undefined) ?? null,
    ms: search.elapsed(),
  };
}

/** Step 2: reruns the scenario (up to `reruns` times) until it has failed keep − 1 more times. */
async function rerun(
  search: Search,
  scenario: Scenario,
  target: ClassId,
): Promise<{ reruns: number; rerunsFailed: number; rerunsUnjudged: number }> {
  const reruns = search.options.reruns ?? shrinkDefaults.reruns;
  let rerunsFailed = 0;
  let rerunsUnjudged = 0;
  let rerunsDone = 0;
  for (; rerunsDone < reruns && rerunsFailed < search.rule.keep - 1; rerunsDone++) {
    const { audit, classes } = await search.options.run(scenario);
    search.runs++;
    const r = statusOf(target, audit, classes);
    if (r.status === "fail") rerunsFailed++;
    else if (r.status === "unjudged") rerunsUnjudged++;
    search.emit({ kind: "run", stage: "rerun", status: r.status });
  }
  return { reruns: rerunsDone, rerunsFailed, rerunsUnjudged };
}

/**
 * Step 3: runs the shrink passes over the smallest kept scenario, biggest cut first, keeping the
 * first candidate that fails and running the same pass again from it; returns every scenario kept.
 */
async function searchSmaller(
  search: Search,
  original: Kept,
  target: ClassId,
  confirmRuns: number,
): Promise<{ path: Kept[]; candidatesTried: number; budgetHit: boolean }> {
  const { options, rule, budgetMs, emit, elapsed, load } = search;
  const path: Kept[] = [original];
  const tried = new Set<string>([keyOf(options.document)]);
  let best = original;
  // Room for the confirmation runs, at the pace the smallest kept scenario has run so far (at most
  // a quarter of the budget); none while that is the original, whose reruns are its confirmation.
  const paceOf = (k: Kept) => (k.trial.failing?.ms ?? k.trial.ms / Math.max(1, k.trial.runs)) + 5;
  const room = () => (best === original ? 0 : Math.min(confirmRuns * paceOf(best), budgetMs / 4));
  const searchOver = () => elapsed() + room() >= budgetMs;
  let budgetHit = false;
  let candidatesTried = 0;
  // Until a whole sweep of the passes keeps nothing: each pass is run again from the scenario it
  // just kept, before the next pass starts (Hypothesis's shrinker runs its passes the same way).
  sweep: for (let improved = true; improved; ) {
    improved = false;
    for (const shrinkPass of shrinkPasses) {
      for (let again = true; again; ) {
        again = false;
        for (const candidate of shrinkPass.candidates(best.document)) {
          if (searchOver()) {
            budgetHit = true;
            break sweep;
          }
          const key = keyOf(candidate.document);
          if (tried.has(key)) continue;
          tried.add(key);
          const loaded = load(candidate.document);
          if (loaded === null) continue;
          const size = sizeOf(loaded);
          if (!isSmaller(size, best.size)) continue;
          candidatesTried++;
          const trial = await runTrial(options.run, loaded, target, rule, { stop: searchOver });
          search.runs += trial.runs;
          emit({
            kind: "candidate",
            tried: candidatesTried,
            change: candidate.change,
            size,
            trial,
            best: trial.kept ? size : best.size,
            elapsedMs: elapsed(),
          });
          if (trial.kept) {
            best = { document: candidate.document, scenario: loaded, size, trial, change: candidate.change };
            path.push(best);
            improved = true;
            again = true;
            break;
          }
        }
      }
    }
  }
  return { path, candidatesTried, budgetHit };
}

/**
 * Step 4: runs the smallest kept `confirmRuns` times; when it fails in fewer than half, steps back
 * to the one before it (at most three are confirmed; the original's rate is that of its reruns).
 */
async function confirmSmallest(
  search: Search,
  path: readonly Kept[],
  target: ClassId,
  confirmRuns: number,
): Promise<{ result: Kept; confirmation: Trial }> {
  const original = path[0] as Kept;
  let confirmation: Trial | null = null;
  let result = path.at(-1) as Kept;
  for (const kept of [...path].reverse().slice(0, 3)) {
    result = kept;
    if (kept === original) {
      confirmation = original.trial;
      break;
    }
    confirmation = await runTrial(
      search.options.run,
      kept.scenario,
      target,
      { runs: confirmRuns, keep: Math.ceil(confirmRuns / 2) },
      { all: true, onRun: (r) => search.emit({ kind: "run", stage: "confirm", status: r.status }) },
    );
    search.runs += confirmation.runs;
    if (confirmation.failed * 2 >= confirmRuns) break;
  }
  return { result, confirmation: confirmation as Trial };
}

export { describeSize };
