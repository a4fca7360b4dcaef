import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkRun, type Verdict } from "../../src/verify/scenario/check/index.js";
import { formatLoadError, loadScenario } from "../../src/verify/scenario/load.js";
import { runScenario } from "../../src/verify/scenario/runner.js";
import type { Scenario } from "../../src/verify/scenario/types.js";
import type { OwnCodes } from "../helpers/broken-shop/memory-ledger.js";
import { type BrokenShop, type BrokenShopFaults, startBrokenShop } from "../helpers/broken-shop.js";

function scenario(name: string): Scenario {
  const loaded = loadScenario(name);
  if (!loaded.ok) throw new Error(formatLoadError(loaded.error));
  return loaded.value;
}

/** The broken shop with the reference's test-control API, so the runner sets stock and reads the snapshot. */
const shop = (faults: BrokenShopFaults = {}, codes: OwnCodes = {}) =>
  startBrokenShop({ faults, codes, stockApi: "test-control" });

async function judge(server: BrokenShop, name: string): Promise<Verdict> {
  try {
    return checkRun(await runScenario(scenario(name), { target: server.url }));
  } finally {
    await server.close();
  }
}

const status = (verdict: Verdict, id: string) => verdict.checks.find((c) => c.id === id)?.status;

describe("the checker catches deliberately wrong servers", () => {
  test("a server that oversells under concurrency (read, await, write) fails seed-3-1 on oversell", async () => {
    const verdict = await judge(await shop({ oversell: true }), "seed-3-1");
    expect(verdict.verdict).toBe("fail");
    expect(status(verdict, "oversell")).toBe("fail");
    const oversell = verdict.violations.find((v) => v.check === "oversell");
    expect(oversell?.sku).toBe(311191);
    expect(oversell?.requests.length).toBeGreaterThan(0);
    expect(oversell?.message).toMatch(/SKU 311191 oversold/);
  });

  test("a server that restores twice on concurrent cancels fails races on double restore", async () => {
    const verdict = await judge(await shop({ doubleRestore: true }), "races");
    expect(verdict.verdict).toBe("fail");
    expect(status(verdict, "double-restore")).toBe("fail");
    const double = verdict.violations.find((v) => v.check === "double-restore");
    expect(double?.sku).toBe(800001);
    expect(double?.requests.some((r) => r.caseName.startsWith("cancel-twice"))).toBe(true);
  });

  /*
   * The same server's cancel checks RESERVED, waits, then restores and writes CANCELLED over a pay
   * that landed meanwhile. Before, races always sent the pay first, the pay always won, and "Paid and
   * cancelled" PASSed (3 of 3 runs) while claiming it could have seen one order both paid and cancelled.
   */
  test("the same server's cancel overwrites a pay that lands while it waits: races fails paid and cancelled, the cancel sent first", async () => {
    const verdict = await judge(await shop({ doubleRestore: true }), "races");
    expect(status(verdict, "orders")).toBe("fail");
    const both = verdict.violations.filter((v) => v.check === "paid-and-cancelled");
    expect(both.length).toBeGreaterThan(0);
    // Caught in the rounds that send the cancel first (two sockets may still swap a pair on arrival).
    const cancelFirst = both.filter((v) => {
      const [cancel, pay] = ["cancel-racing-pay", "pay-racing-cancel"].map((name) =>
        v.requests.find((r) => r.caseName === name),
      );
      return (cancel?.seq ?? Number.POSITIVE_INFINITY) < (pay?.seq ?? -1);
    });
    expect(cancelFirst.length).toBeGreaterThan(0);
  });

  test("a server that answers 500 when more than 8 requests are in flight fails seed-3-1 on indeterminate answers", async () => {
    const verdict = await judge(await shop({ maxInFlight: 8 }), "seed-3-1");
    expect(verdict.verdict).toBe("fail");
    expect(status(verdict, "indeterminate")).toBe("fail");
    expect(verdict.indeterminate.byOutcome.POOL_EXHAUSTED).toBeGreaterThan(0);
    // Its stock keeping is correct: the 500s are the only fault.
    expect(status(verdict, "oversell")).toBe("pass");
    expect(status(verdict, "rejections")).toBe("pass");
  });

  test("a server that keeps a hidden safety stock fails seed-3-1 on unjustified OUT_OF_STOCK", async () => {
    const verdict = await judge(await shop({ safetyStock: 5 }), "seed-3-1");
    expect(verdict.verdict).toBe("fail");
    expect(status(verdict, "rejections")).toBe("fail");
    const wrong = verdict.violations.filter((v) => v.check === "wrong-rejection");
    // 5 units held back in each of the two phases: the first 5 refusals per phase cannot be explained.
    expect(wrong.length).toBeGreaterThanOrEqual(1);
    expect(wrong[0]?.message).toMatch(
      /refused OUT_OF_STOCK while stock sufficed: SKU 311191: asked 1, at least \d+ available/,
    );
    expect(status(verdict, "oversell")).toBe("pass");
  });

  describe("and does not flag correct servers", () => {
    test("a correct server with its own status codes passes races, its codes listed as divergences", async () => {
      const server = await shop(
        {},
        {
          outOfStock: { status: 409, code: "SOLD_OUT" },
          foreignOrder: { status: 403, code: "FORBIDDEN" },
          repeatCancel: { status: 409, code: "ALREADY_CANCELLED" },
        },
      );
      try {
        const s = scenario("races");
        const foreign: Scenario = {
          ...s,
          users: [
            ...s.users,
            { name: "other", username: "other@example.com", password: "other-password", userId: null },
          ],
          round: [
            ...s.round,
            {
              cases: [
                {
                  name: "foreign-pay",
                  user: "other",
                  action: { kind: "pay", orderKey: "reserve-to-cancel" },
                  step: s.round.length,
                  raced: false,
                },
              ],
            },
          ],
        };
        const verdict = checkRun(await runScenario(foreign, { target: server.url }));
        expect(verdict.violations).toEqual([]);
        expect(verdict.verdict).toBe("pass");
        const divergent = verdict.divergences.map((d) => `${d.caseName}: ${d.reference} → ${d.observed}`);
        expect(divergent).toContain("foreign-pay: 404 ORDER_NOT_FOUND → 403 FORBIDDEN");
        expect(
          divergent.some((d) =>
            /^cancel-twice-[12]: 200 \(a repeat changes nothing\) → 409 ALREADY_CANCELLED$/.test(d),
          ),
        ).toBe(true);
        const sold = checkRun(
          await runScenario(scenario("seed-3-1"), { target: server.url, phase: "100 simultaneous" }),
        );
        expect(sold.violations).toEqual([]);
        expect(sold.checks.find((c) => c.id === "counts")?.status).toBe("pass");
        expect(sold.divergences.map((d) => `${d.caseName}: ${d.reference} → ${d.observed} ×${d.count}`)).toEqual([
          "reserve: 409 OUT_OF_STOCK → 409 SOLD_OUT ×50",
        ]);
      } finally {
        await server.close();
      }
    });

    let correct: BrokenShop;
    beforeAll(async () => {
      correct = await shop();
    });
    afterAll(() => correct.close());
    for (const name of ["seed-3-1", "races"]) {
      test(`the same shop without its faults passes ${name}`, async () => {
        const verdict = checkRun(await runScenario(scenario(name), { target: correct.url }));
        expect(verdict.violations).toEqual([]);
        expect(verdict.checks.filter((c) => c.status === "fail").map((c) => `${c.id}: ${c.summary}`)).toEqual([]);
        expect(verdict.verdict).toBe("pass");
      });
    }
  });
});
