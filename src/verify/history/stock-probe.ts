/**
 * @module
 * Measures each SKU's available stock through the public API alone, by all-or-nothing probe reservations.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import { cancelPath, reservePath } from "../client/paths.js";
import { createTargetClient, type Exchange, type TargetClient } from "../scenario/client.js";
import { createOrderIds, newRunId } from "../scenario/ids.js";
import type { PlannedRequest } from "../scenario/plan.js";
import { reserveQuery, runDay } from "../scenario/request-params.js";
import { createTokenKeeper } from "../scenario/tokens.js";
import type { Scenario, ScenarioUser } from "../scenario/types.js";

export interface ProbeOptions {
  readonly target: string;
  readonly requestTimeoutMs?: number;
  /** Largest count one reservation line may ask for; halved whenever the server refuses a count. */
  readonly maxChunk?: number;
  /** Bound on requests per SKU. */
  readonly maxRequests?: number;
}

export interface ProbeResult {
  readonly available: ReadonlyMap<number, number>;
  /** Reserve and cancel requests the probe sent. */
  readonly requests: number;
}

type Attempt = "held" | "short" | "count-refused";

/**
 * Measures each SKU's available stock through the public API alone: all-or-nothing reservations
 * of k units under probe paymentOrderIds. Whole chunks are held until one is refused, then the
 * remainder is found by binary search (starting at the expected value, so a correct server costs
 * a few requests); every successful probe is cancelled again, so the stock is as it was.
 */
export async function probeStock(
  scenario: Scenario,
  expected: ReadonlyMap<number, number>,
  options: ProbeOptions,
): Promise<Result<ProbeResult, string>> {
  const first = scenario.users[0];
  if (first === undefined) return err("The probe needs a user to log in as.");
  const controller = new AbortController();
  const client = createTargetClient({
    baseUrl: options.target,
    connections: 1,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    signal: controller.signal,
    epoch: performance.now(),
  });
  const probe = createProbeRequests(scenario, first, client, options.maxRequests ?? 200);
  const maxChunk = Math.max(1, options.maxChunk ?? 1000);
  let spent = 0;
  try {
    const available = new Map<number, number>();
    for (const sku of scenario.skus) {
      spent += probe.sent;
      probe.sent = 0;
      const measured = await measure(
        probe,
        sku.productStockId,
        expected.get(sku.productStockId) ?? sku.stock,
        maxChunk,
      );
      if (!measured.ok) return err(`Stock probe: ${measured.error}.`);
      if (probe.releaseErrors.length > 0) return err(`Stock probe: ${probe.releaseErrors.join("; ")}.`);
      available.set(sku.productStockId, measured.value);
    }
    return ok({ available, requests: spent + probe.sent });
  } catch (error) {
    return err(`Stock probe: ${(error as Error).message}`);
  } finally {
    controller.abort();
    await client.close();
  }
}

/** The probe's two requests, counted (`sent`, per SKU), as one user under fresh probe ids. */
interface ProbeRequests {
  attempt(sku: number, count: number, keep: string[]): Promise<Result<Attempt, string>>;
  cancel(id: string): Promise<Result<void, string>>;
  sent: number;
  /** Held units a cancel could not give back: the SKU may now be short. */
  readonly releaseErrors: string[];
}

function createProbeRequests(
  scenario: Scenario,
  user: ScenarioUser,
  client: TargetClient,
  maxRequests: number,
): ProbeRequests {
  const tokens = createTokenKeeper(client, scenario.client);
  const nextId = createOrderIds("probe", newRunId());
  const day = runDay(new Date());
  const describe = (e: Exchange) =>
    e.status === null ? (e.message ?? "no answer") : `HTTP ${e.status} ${e.code ?? e.body.slice(0, 120)}`;
  const auth = async () => ({ authorization: `Bearer ${await tokens.token(user)}`, accept: "application/json" });
  const probe: ProbeRequests = {
    sent: 0,
    releaseErrors: [],
    async cancel(id) {
      probe.sent++;
      const e = await client.send("DELETE", cancelPath(id), await auth());
      return e.status !== null && e.status < 300
        ? ok(undefined)
        : err(`cancel of probe order ${id} answered ${describe(e)}`);
    },
    async attempt(sku, count, keep) {
      if (probe.sent >= maxRequests) return err(`the probe of SKU ${sku} needed more than ${maxRequests} requests`);
      const request: PlannedRequest = {
        seq: -1,
        phase: 0,
        round: 0,
        step: 0,
        caseName: "probe",
        kind: "reserve",
        user,
        paymentOrderId: nextId(),
        lines: [{ sku, count }],
        raced: false,
      };
      probe.sent++;
      const e = await client.send("GET", reservePath(reserveQuery(scenario, request, day)), await auth());
      if (e.status !== null && e.status < 300) {
        keep.push(request.paymentOrderId);
        return ok("held");
      }
      // Probe ids are fresh, so a 409 can only mean the stock (whatever code the server uses for it).
      if (e.status === 409) return ok("short");
      if (e.status !== null && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 403) {
        return ok("count-refused");
      }
      return err(`a probe reservation of ${count} × SKU ${sku} answered ${describe(e)}`);
    },
  };
  return probe;
}

/** Holds whole chunks while they fit; returns the units held (their ids in `held`) and the chunk refused. */
async function holdChunks(
  probe: ProbeRequests,
  sku: number,
  held: string[],
  maxChunk: number,
): Promise<Result<{ total: number; chunk: number }, string>> {
  let chunk = maxChunk;
  let total = 0;
  for (;;) {
    const a = await probe.attempt(sku, chunk, held);
    if (!a.ok) return a;
    if (a.value === "held") total += chunk;
    else if (a.value === "short") return ok({ total, chunk });
    else if (chunk === 1) return err(`SKU ${sku} refuses even a 1-unit reservation (not a stock refusal)`);
    else chunk = Math.floor(chunk / 2);
  }
}

/** Reserves k units and cancels them again at once: does k fit? */
async function fits(probe: ProbeRequests, sku: number, k: number): Promise<Result<boolean, string>> {
  const kept: string[] = [];
  const a = await probe.attempt(sku, k, kept);
  if (!a.ok) return a;
  for (const id of kept) {
    const done = await probe.cancel(id);
    if (!done.ok) return done;
  }
  return ok(a.value === "held");
}

/** One SKU's available units: chunks held, then the remainder by binary search; every unit held is given back. */
async function measure(
  probe: ProbeRequests,
  sku: number,
  hint: number,
  maxChunk: number,
): Promise<Result<number, string>> {
  const held: string[] = [];
  try {
    const chunks = await holdChunks(probe, sku, held, maxChunk);
    if (!chunks.ok) return chunks;
    const { total, chunk } = chunks.value;
    // The remainder is in [0, chunk − 1]: binary search, trying the expected value first.
    let lo = 0;
    let hi = chunk - 1;
    const guess = Math.min(Math.max(hint - total, 0), hi);
    const candidates = [guess, guess + 1].filter((k) => k > 0);
    while (lo < hi) {
      const next = candidates.shift();
      const mid = next !== undefined && next > lo && next <= hi ? next : Math.ceil((lo + hi) / 2);
      const fit = await fits(probe, sku, mid);
      if (!fit.ok) return fit;
      if (fit.value) lo = mid;
      else hi = mid - 1;
    }
    return ok(total + lo);
  } finally {
    // Give back every chunk held; a failure here leaves the SKU short, so it is reported.
    for (const id of held.splice(0)) {
      const done = await probe.cancel(id);
      if (!done.ok) probe.releaseErrors.push(`${done.error}; SKU ${sku} may now be short of the probe's units`);
    }
  }
}
