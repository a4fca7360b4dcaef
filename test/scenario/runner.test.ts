import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { formatLoadError, parseScenario } from "../../src/verify/scenario/load.js";
import { runScenario } from "../../src/verify/scenario/runner.js";
import type { Scenario } from "../../src/verify/scenario/types.js";
import { startBrokenShop } from "../helpers/broken-shop.js";
import { type RunningReference, startReference } from "../helpers/reference.js";

function scenario(text: string): Scenario {
  const parsed = parseScenario(text, "inline.yaml");
  if (!parsed.ok) throw new Error(formatLoadError(parsed.error));
  return parsed.value;
}

const twoUsers = `name: two-users
given:
  skus: [{ productStockId: 800001, stock: 800 }]
  stock: STOCK
  users:
    - { name: buyer, username: buyer@example.com, password: buyer-password }
    - { name: other, username: other@example.com, password: other-password }
  traffic: TRAFFIC
when:
  - name: take
    reserve: [{ sku: 800001, count: 1 }]
  - name: foreign-cancel
    user: other
    cancel: take
  - name: pay
    pay: take
  - name: repeat-pay
    pay: take
`;

describe("the runner", () => {
  let reference: RunningReference;
  beforeAll(async () => {
    // Access tokens live 3 s, so a run of several seconds must refresh them on the way.
    reference = await startReference({ accessTtlSeconds: 3 });
  });
  afterAll(() => reference.close());

  test("refreshes expiring tokens, keeps orders per user, and matches the model step by step", async () => {
    const s = scenario(
      twoUsers
        .replace("STOCK", "admin")
        .replace("TRAFFIC", "{ shape: rate, rounds: 40, duration: 6s, maxInFlight: 1 }"),
    );
    const result = await runScenario(s, { target: reference.url });
    const verdict = checkRun(result);
    const all = result.phases.flatMap((p) => p.observations);
    expect(all.filter((o) => o.status === 401)).toEqual([]);
    expect(verdict.checks.find((c) => c.id === "model-steps")?.status).toBe("pass");
    // other's cancel of buyer's order is a 404; in other's own rounds the cancel is its own and succeeds.
    const foreign = verdict.cases.find((c) => c.name === "foreign-cancel");
    const buyerRounds = all.filter((o) => o.request.kind === "reserve" && o.request.user.name === "buyer").length;
    expect(foreign?.observed).toEqual(foreign?.model);
    expect(foreign?.observed.ORDER_NOT_FOUND).toBe(buyerRounds);
    expect(verdict.verdict).toBe("pass");
    // Rounds alternate users, so the paymentOrderIds are all distinct and well-formed.
    const ids = new Set(all.filter((o) => o.request.kind === "reserve").map((o) => o.request.paymentOrderId));
    expect(ids.size).toBe(40);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
  });

  test("with declared stock and no test-control API, it runs and says conservation was not observed", async () => {
    await reference.reference.service.setStock([{ productStockId: 800001, quantity: 800 }]);
    const s = scenario(
      twoUsers.replace("STOCK", "declared").replace("TRAFFIC", "{ shape: concurrency, rounds: 20, concurrency: 5 }"),
    );
    const result = await runScenario(s, { target: reference.url, adminKey: null });
    const verdict = checkRun(result);
    expect(result.stockObservation).toBe("none");
    expect(verdict.checks.find((c) => c.id === "conservation")?.status).toBe("skip");
    expect(verdict.violations).toEqual([]);
    expect(verdict.verdict).toBe("pass");
  });

  test("the whole run is bounded: past its time the requests in flight are aborted and the rest never sent", async () => {
    const server = await startBrokenShop({ faults: { hangOnReserve: true }, stockApi: "test-control" });
    try {
      const s = scenario(twoUsers.replace("STOCK", "admin").replace("TRAFFIC", "{ shape: sequential, rounds: 3 }"));
      const result = await runScenario(s, { target: server.url, requestTimeoutMs: 60_000, runTimeoutMs: 400 });
      const verdict = checkRun(result);
      expect(result.timedOut).toBe(true);
      const outcomes = result.phases.flatMap((p) => p.observations.map((o) => o.outcome));
      expect(outcomes[0]).toBe("ABORTED");
      expect(outcomes.slice(1).every((o) => o === "NOT_SENT")).toBe(true);
      expect(verdict.checks.find((c) => c.id === "time-bound")?.status).toBe("fail");
      expect(verdict.verdict).toBe("fail");
    } finally {
      await server.close();
    }
  });

  test("a server that never answers: each request times out, is named indeterminate, and fails the run", async () => {
    const server = await startBrokenShop({ faults: { hangOnReserve: true }, stockApi: "test-control" });
    try {
      const s = scenario(twoUsers.replace("STOCK", "admin").replace("TRAFFIC", "{ shape: burst, rounds: 5 }"));
      const result = await runScenario(s, { target: server.url, requestTimeoutMs: 1000 });
      const verdict = checkRun(result);
      // Every reservation hangs and times out; on a loaded machine a later call may time out too.
      const reserves = result.phases.flatMap((p) => p.observations).filter((o) => o.request.kind === "reserve");
      expect(reserves.map((o) => o.outcome)).toEqual(Array(5).fill("TIMEOUT"));
      expect(verdict.indeterminate.byOutcome.TIMEOUT).toBeGreaterThanOrEqual(5);
      expect(verdict.checks.find((c) => c.id === "indeterminate")?.status).toBe("fail");
      expect(verdict.verdict).toBe("fail");
    } finally {
      await server.close();
    }
  });
});
