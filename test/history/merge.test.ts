import { describe, expect, it } from "vitest";
import { offsetFromSamples } from "../../src/verify/history/clock.js";
import type { ClockEstimate, History, ObservationRecord } from "../../src/verify/history/format.js";
import { mergeHistories } from "../../src/verify/history/merge.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { formatLoadError, parseScenario } from "../../src/verify/scenario/load.js";
import type { Scenario } from "../../src/verify/scenario/types.js";

const scenarioOf = (round: string, rounds: number): Scenario => {
  const parsed = parseScenario(
    `name: skew
given:
  skus: [{ productStockId: 7, stock: 1 }]
  users: [{ name: buyer, username: buyer@example.com, password: pw }]
  traffic: { shape: sequential, rounds: ${rounds} }
when:
${round}
`,
    "inline.yaml",
  );
  if (!parsed.ok) throw new Error(formatLoadError(parsed.error));
  return parsed.value;
};

const takeOnly = scenarioOf("  - { name: take, reserve: [{ sku: 7, count: 1 }] }", 3);
// Paid holds never come back, expiry or not: three paid units of one is an oversell whatever the clocks say.
const takeAndPay = scenarioOf("  - { name: take, reserve: [{ sku: 7, count: 1 }] }\n  - { name: buy, pay: take }", 3);
const takeAndDrop = scenarioOf(
  "  - { name: take, reserve: [{ sku: 7, count: 1 }] }\n  - { name: drop, cancel: take }",
  2,
);

type Answer = readonly [caseName: string, kind: ObservationRecord["k"], sent: number, ended: number, outcome: string];

/** One writer's history: its rounds' answers on its own clock, and what it believed about that clock. */
function history(
  file: string,
  round: number,
  answers: readonly Answer[],
  clock: ClockEstimate | null,
  shards = 3,
): History {
  return {
    file,
    header: {
      t: "history",
      format: "stockproof-history",
      version: 1,
      scenario: "skew",
      target: "http://127.0.0.1:1",
      runId: file,
      shard: { index: round, count: shards },
      startedAt: "2026-01-01T00:00:00.000Z",
      epochWallMs: Date.parse("2026-01-01T00:00:00.000Z"),
      clock,
      startAt: null,
      speed: 1,
      source: "stockproof",
    },
    observations: answers.map(([c, k, s, e, o]) => ({
      t: "obs",
      ph: 0,
      r: round,
      c,
      k,
      id: `order-${round}`,
      u: "buyer@example.com",
      s,
      e,
      st: o === "ok" ? 200 : 409,
      o,
      kl: o === "ok" ? "ok" : "rejected",
    })),
    phases: [],
    end: null,
  };
}

const estimate = (uncertaintyMs: number): ClockEstimate => ({ offsetMs: 0, uncertaintyMs, source: "test" });
const failedChecks = (h: readonly History[], scenario: Scenario, clockSkewMs?: number) => {
  const merged = mergeHistories(scenario, h, clockSkewMs === undefined ? {} : { clockSkewMs });
  if (!merged.ok) throw new Error(merged.error);
  const verdict = checkRun(merged.value.result);
  return { merged: merged.value, failed: verdict.checks.filter((c) => c.status === "fail").map((c) => c.id) };
};

describe("merging histories written on several clocks", () => {
  // Truly: A holds [1 ms, cancel at 2 ms), B holds [6 ms, cancel at 7 ms): never two at once.
  // B's clock runs 4.5 ms behind, within the 5 ms its writer recorded as its uncertainty.
  const a = history(
    "a",
    0,
    [
      ["take", "reserve", 0, 1, "ok"],
      ["drop", "cancel", 2, 3, "ok"],
    ],
    estimate(5),
    2,
  );
  const b = history(
    "b",
    1,
    [
      ["take", "reserve", 0.5, 1.5, "ok"],
      ["drop", "cancel", 2.5, 3.5, "ok"],
    ],
    estimate(5),
    2,
  );

  it("finds no oversell in holds that only seem to overlap through clock skew", () => {
    const { merged, failed } = failedChecks([a, b], takeAndDrop);
    expect(merged.clock.boundMs).toBe(5);
    expect(failed).toEqual([]);
    expect(merged.result.notes.join(" ")).toContain("Clock skew bound ±5 ms");
  });

  it("would have called it an oversell without the widening (the bound is what keeps it sound)", () => {
    expect(failedChecks([a, b], takeAndDrop, 0).failed).toContain("oversell");
  });

  it("does not call a refusal wrong when the clocks cannot say it came before the hold", () => {
    // Truly: A took the last unit at [0, 1]; B was refused at [5, 6]. B's clock is 8 ms behind.
    const holder = history("a", 0, [["take", "reserve", 0, 1, "ok"]], estimate(10));
    const refused = history("b", 1, [["take", "reserve", -3, -2, "OUT_OF_STOCK"]], estimate(10));
    const spare = history("c", 2, [["take", "reserve", 20, 21, "OUT_OF_STOCK"]], estimate(10));
    expect(failedChecks([holder, refused, spare], takeOnly).failed).toEqual([]);
    expect(failedChecks([holder, refused, spare], takeOnly, 0).failed).toContain("rejections");
  });

  it("still finds a real oversell however wide the bound", () => {
    const shards = [0, 1, 2].map((r) =>
      history(
        `s${r}`,
        r,
        [
          ["take", "reserve", r * 3, r * 3 + 1, "ok"],
          ["buy", "pay", r * 3 + 1, r * 3 + 2, "ok"],
        ],
        estimate(1000),
      ),
    );
    const { merged, failed } = failedChecks(shards, takeAndPay);
    expect(merged.clock.boundMs).toBe(1000);
    expect(failed).toContain("oversell");
  });

  it("asks for a bound when a history recorded no clock estimate", () => {
    const merged = mergeHistories(takeAndDrop, [a, { ...b, header: { ...b.header, clock: null } }]);
    expect(merged.ok).toBe(false);
    if (!merged.ok) expect(merged.error).toContain("--clock-skew");
  });

  it("refuses a sharded run with a shard's history missing: its rounds are not 'never sent'", () => {
    const merged = mergeHistories(takeAndDrop, [a], { clockSkewMs: 0 });
    expect(merged.ok).toBe(false);
    if (!merged.ok) expect(merged.error).toMatch(/shard 1\/2 are not given/);
  });

  it("refuses the same history given twice instead of judging its answers twice", () => {
    const merged = mergeHistories(takeAndDrop, [a, b, a], { clockSkewMs: 0 });
    expect(merged.ok).toBe(false);
    if (!merged.ok) expect(merged.error).toMatch(/recorded more than once .*round 0 case "take" in a and a/);
  });

  it("counts the rounds an engine's results do not hold as never sent", () => {
    const engine = { ...a, header: { ...a.header, source: "jmeter", shard: { index: 0, count: 1 } } };
    const { failed } = failedChecks([engine], takeAndDrop, 0);
    expect(failed).toContain("time-bound");
  });

  it("refuses a history of another scenario", () => {
    const merged = mergeHistories(takeOnly, [{ ...a, header: { ...a.header, scenario: "other" } }]);
    expect(merged.ok).toBe(false);
  });
});

describe("the clock offset from Date headers", () => {
  it("narrows to the spacing of samples that straddle a second boundary", () => {
    // The local clock is 300 ms behind the server's; round trips take 2 ms.
    const samples = [0, 150, 300, 450, 600, 750, 900].map((t) => {
      const local = 10_000_000 + t;
      const server = local + 300 + 1;
      return { sentAt: local, receivedAt: local + 2, serverDate: Math.floor(server / 1000) * 1000 };
    });
    const estimate = offsetFromSamples(samples, "test");
    expect(estimate).not.toBeNull();
    const { offsetMs, uncertaintyMs } = estimate as ClockEstimate;
    expect(Math.abs(offsetMs - 300)).toBeLessThanOrEqual(uncertaintyMs);
    expect(uncertaintyMs).toBeLessThanOrEqual(80);
  });

  it("gives no estimate without a sample", () => {
    expect(offsetFromSamples([], "test")).toBeNull();
  });
});
