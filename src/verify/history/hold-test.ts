/**
 * @module
 * Takes a one-unit hold on a target, reads the stock before and after a wait, and cancels the hold.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import { cancelPath, reservePath } from "../client/paths.js";
import { createTargetClient, type Exchange, type TargetClient } from "../scenario/client.js";
import { createOrderIds, newRunId } from "../scenario/ids.js";
import { createPause, pauseUntil } from "../scenario/pause.js";
import type { PlannedRequest } from "../scenario/plan.js";
import { reserveQuery, runDay } from "../scenario/request-params.js";
import { createTokenKeeper } from "../scenario/tokens.js";
import type { Scenario } from "../scenario/types.js";

export interface HoldTestOptions {
  readonly target: string;
  /** Its first user takes the hold; its client logs in; its SKUs name the line. */
  readonly scenario: Scenario;
  readonly sku: number;
  /** How long after the hold was answered the stock is read again. */
  readonly waitMs: number;
  /** Reads the SKU's available units, through the same client (test-control) or on its own (--snapshot, probe). */
  readonly read: (client: TargetClient) => Promise<Result<number, string>>;
  /** The operator's stop: the wait ends early and the test says nothing. */
  readonly signal?: AbortSignal;
  readonly requestTimeoutMs?: number;
}

/** What became of one hold left alone: still held (no expiry at that delay), or stock came back. */
export type HoldTestOutcome =
  /** `available`: after the wait, one unit below the read before the hold. */
  | { readonly kind: "held"; readonly waitedMs: number; readonly available: number }
  /** `before`: read before the hold; `after`: at least as much, after the wait. */
  | { readonly kind: "released"; readonly withinMs: number; readonly before: number; readonly after: number };

export interface HoldTest {
  readonly outcome: Result<HoldTestOutcome, string>;
  /** Set when the test's hold could not be cancelled again: the SKU may be a unit short. */
  readonly cancelError: string | null;
}

const describe = (e: Exchange) =>
  e.status === null ? (e.message ?? "no answer") : `HTTP ${e.status} ${e.code ?? e.body.slice(0, 120)}`;

/**
 * Tests whether the target's holds expire: reads the SKU's stock, takes a hold of one unit, waits
 * `waitMs` after its answer on the run's own clock, reads the stock again, and cancels the hold.
 * One unit below: the hold is still held and nothing else came back. As much as before or more:
 * holds were released with no request sent. Less: something else took stock, and the test says nothing.
 */
export async function testHold(options: HoldTestOptions): Promise<HoldTest> {
  const user = options.scenario.users[0];
  if (user === undefined) return { outcome: err("the scenario has no user to take a hold as"), cancelError: null };
  // The client's own signal ends only its requests, after the cancel: an operator's stop ends the wait.
  const controller = new AbortController();
  const wait = options.signal ?? new AbortController().signal;
  const epoch = performance.now();
  const client = createTargetClient({
    baseUrl: options.target,
    connections: 1,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    signal: controller.signal,
    epoch,
  });
  const now = () => performance.now() - epoch;
  const tokens = createTokenKeeper(client, options.scenario.client);
  const auth = async () => ({ authorization: `Bearer ${await tokens.token(user)}`, accept: "application/json" });
  const request: PlannedRequest = {
    seq: -1,
    phase: 0,
    round: 0,
    step: 0,
    caseName: "expiry-test",
    kind: "reserve",
    user,
    paymentOrderId: createOrderIds("expiry-test", newRunId())(),
    lines: [{ sku: options.sku, count: 1 }],
    raced: false,
  };
  let taken = false;
  let released = false;
  const run = async (): Promise<Result<HoldTestOutcome, string>> => {
    // Read before the hold, not after it: a read slower than the TTL would see the hold already
    // released, and "unchanged" would then refute an expiry that happened.
    const before = await options.read(client);
    if (!before.ok) return before;
    const hold = await client.send(
      "GET",
      reservePath(reserveQuery(options.scenario, request, runDay(new Date()))),
      await auth(),
    );
    if (hold.status === null || hold.status >= 300)
      return err(`a hold of 1 × SKU ${options.sku} to test it was answered ${describe(hold)}`);
    taken = true;
    await pauseUntil(createPause(wait), wait, hold.endedAt + options.waitMs, now);
    if (wait.aborted) return err("the test of hold expiry was interrupted");
    const after = await options.read(client);
    if (!after.ok) return after;
    // The test's unit still out and nothing else back: no hold came back in all that time.
    if (after.value === before.value - 1)
      return ok({ kind: "held", waitedMs: Math.round(now() - hold.endedAt), available: after.value });
    if (after.value < before.value - 1)
      return err(
        `SKU ${options.sku} went from ${before.value} to ${after.value} available around a 1-unit hold while the tool sent nothing else: other traffic reached the target`,
      );
    released = true;
    return ok({
      kind: "released",
      withinMs: Math.round(now() - hold.sentAt),
      before: before.value,
      after: after.value,
    });
  };
  try {
    const outcome = await run().catch(
      (error: unknown): Result<HoldTestOutcome, string> => err((error as Error).message),
    );
    let cancelError: string | null = null;
    if (taken) {
      const cancel = await client.send("DELETE", cancelPath(request.paymentOrderId), await auth());
      // An expired hold may be refused a cancel; only a hold still held leaves the SKU short.
      const failed = cancel.status === null || cancel.status >= 500 || (cancel.status >= 300 && !released);
      if (failed)
        cancelError = `the cancel of hold ${request.paymentOrderId} answered ${describe(cancel)}: SKU ${options.sku} may be 1 unit short`;
    }
    return { outcome, cancelError };
  } finally {
    controller.abort();
    await client.close();
  }
}
