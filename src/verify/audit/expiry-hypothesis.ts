/**
 * @module
 * Tests suspected hold expiry against the live target: one held unit, read again after twice the inferred TTL.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import { formatDuration } from "../../base/config/duration.js";
import { testHold } from "../history/hold-test.js";
import { observationLabel, type StockObserver } from "../history/stock-observer.js";
import { createAdmin } from "../scenario/admin.js";
import { checkContext } from "../scenario/check/context.js";
import { checkRun, type Verdict } from "../scenario/check/index.js";
import type { RunResult } from "../scenario/runner.js";

/** Twice a TTL longer than this is not waited for: the phase stays not judged, and says so. */
export const longestExpiryTestMs = 30_000;

export interface ExpiryTestOptions {
  readonly target: string;
  /** The test-control key when its API answered: the stock is read through it. */
  readonly adminKey: string | null;
  /** Else the --snapshot command or the probe. */
  readonly observer: StockObserver;
  readonly requestTimeoutMs?: number;
  readonly interrupt?: AbortSignal;
}

export interface TestedVerdict {
  /** The run, its scenario marked as holds never expiring when the test refuted expiry. */
  readonly result: RunResult;
  readonly verdict: Verdict;
  readonly notes: readonly string[];
}

/** The verdict with the suspicion's words replaced wherever it stands (checks, the reason, the expiry line). */
function resay(verdict: Verdict, said: string, now: string): Verdict {
  return {
    ...verdict,
    checks: verdict.checks.map((c) => (c.summary === said ? { ...c, summary: now } : c)),
    notJudged: verdict.notJudged?.reason === said ? { ...verdict.notJudged, reason: now } : verdict.notJudged,
    expiry: { ...verdict.expiry, suspected: now },
  };
}

/**
 * No TTL declared, yet the phase looks like holds expire: before leaving its classes not judged,
 * the audit tests the hypothesis against the live target. A hold of one unit on a SKU the phase
 * used is left alone for twice the delay the run suggests: still held, holds do not expire at that
 * TTL and the phase is judged as without expiry (an oversell is then an oversell); stock came back,
 * expiry is confirmed and the phase stays not judged, naming the delay measured and --hold-ttl.
 */
export async function testSuspectedExpiry(
  result: RunResult,
  verdict: Verdict,
  options: ExpiryTestOptions,
): Promise<TestedVerdict> {
  const said = verdict.expiry.suspected;
  if (said === null || verdict.blocked) return { result, verdict, notes: [] };
  const phases = checkContext(result).phases;
  const suspicion = phases.find((p) => p.expiry.suspected !== null)?.expiry.suspected ?? null;
  if (suspicion === null || suspicion.withinMs === null) return { result, verdict, notes: [] };
  const waitMs = 2 * Math.max(suspicion.withinMs, 1);
  if (waitMs > longestExpiryTestMs)
    return {
      result,
      verdict,
      notes: [
        `Hold expiry not tested: twice the ${formatDuration(suspicion.withinMs)} the run suggests is more than ${formatDuration(longestExpiryTestMs)}; declare --hold-ttl (or --hold-ttl never).`,
      ],
    };
  const scenario = result.scenario;
  const used = new Set(
    phases.flatMap((p) =>
      [...p.history.orders.values()].flatMap((o) => o.reserves.flatMap((r) => r.request.lines.map((l) => l.sku))),
    ),
  );
  const after = result.phases.at(-1)?.after ?? null;
  const availableAfter = new Map(after?.skus.map((s) => [s.productStockId, s.available]) ?? []);
  // A SKU the phase used with a unit left to hold (stock unknown: try it).
  const sku = scenario.skus
    .map((s) => s.productStockId)
    .find((id) => used.has(id) && (availableAfter.get(id) ?? 1) >= 1);
  if (sku === undefined)
    return { result, verdict, notes: ["Hold expiry not tested: no SKU the phase used has a unit left to hold."] };

  const expected = new Map(
    scenario.skus.map((s) => [s.productStockId, availableAfter.get(s.productStockId) ?? s.stock]),
  );
  const adminKey = options.adminKey;
  const reader =
    adminKey !== null
      ? observationLabel.snapshot
      : options.observer.method === "none"
        ? null
        : observationLabel[options.observer.method];
  if (reader === null)
    return {
      result,
      verdict,
      notes: [
        "Hold expiry not tested: nothing reads the target's stock (no test-control API, no --snapshot, --no-probe); give one, or declare --hold-ttl.",
      ],
    };
  const tested = await testHold({
    target: options.target,
    scenario,
    sku,
    waitMs,
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.interrupt === undefined ? {} : { signal: options.interrupt }),
    read: async (client): Promise<Result<number, string>> => {
      if (adminKey !== null) {
        const snap = await createAdmin(client, adminKey).snapshot([sku]);
        if (!snap.ok) return snap;
        const row = snap.value.skus.find((s) => s.productStockId === sku);
        return row === undefined ? err(`the snapshot has no SKU ${sku}`) : ok(row.available);
      }
      const read = await options.observer.observe(scenario, expected);
      if (!read.ok) return read;
      const units = read.value?.get(sku);
      return units === undefined ? err(`the ${reader} did not give SKU ${sku}`) : ok(units);
    },
  });
  const notes = tested.cancelError === null ? [] : [`Hold expiry test: ${tested.cancelError}.`];
  const outcome = tested.outcome;
  if (!outcome.ok) return { result, verdict, notes: [`Hold expiry not tested: ${outcome.error}.`, ...notes] };
  const inferred = formatDuration(suspicion.withinMs);
  if (outcome.value.kind === "held") {
    const refuted: RunResult = { ...result, scenario: { ...scenario, holdsNeverExpire: true } };
    return {
      result: refuted,
      verdict: checkRun(refuted),
      notes: [
        `Hold expiry tested: the run suggested holds expire within about ${inferred}, but a hold of 1 unit on SKU ${sku} was still held after ${formatDuration(outcome.value.waitedMs)} (${reader}: ${outcome.value.available + 1} available before it, ${outcome.value.available} after): holds do not expire at that TTL, so this phase is judged as without expiry (say so up front with --hold-ttl never; declare --hold-ttl if the server has a longer one).`,
        ...notes,
      ],
    };
  }
  const { withinMs, before, after: later } = outcome.value;
  const now = `${said}. Tested: a hold of 1 unit on SKU ${sku} taken after the run came back within ${formatDuration(withinMs)} (${reader}: ${before} available before it, ${later} after, with no other request sent).`;
  return { result, verdict: resay(verdict, said, now), notes };
}
