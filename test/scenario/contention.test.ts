import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { peakOverlap } from "../../src/verify/scenario/check/contention.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { type RunResult, runScenario } from "../../src/verify/scenario/runner.js";
import { loadedScenario, scenarioYaml } from "../helpers/fixtures.js";
import { adminKey, type RunningReference, startReference } from "../helpers/reference.js";

// 12 reservations of one unit released together on 5 units: an oversell race, if the server has one.
const burst = scenarioYaml({
  name: "short",
  stock: 5,
  sku: 900101,
  productName: "S",
  stockSource: "admin",
  traffic: "{ shape: burst, rounds: 12 }",
});

let reference: RunningReference;
let run: RunResult;
beforeAll(async () => {
  reference = await startReference();
  run = await runScenario(loadedScenario(burst, "short.yaml"), { target: reference.url, adminKey });
});
afterAll(async () => {
  await reference?.close();
});

/** The same answers, each sent after the one before was answered: what a starved generator gives. */
function oneByOne(result: RunResult): RunResult {
  let at = 0;
  const phases = result.phases.map((p) => ({
    ...p,
    observations: p.observations.map((o) => {
      const took = (o.endedAt ?? 0) - (o.sentAt ?? 0);
      const moved = { ...o, sentAt: at, endedAt: at + took };
      at += took + 1;
      return moved;
    }),
  }));
  return { ...result, phases };
}

describe("a race the run never reached", () => {
  it("counts the most intervals open at once, touching ends apart", () => {
    expect(
      peakOverlap([
        [0, 10],
        [10, 20],
        [5, 12],
      ]),
    ).toBe(2);
    expect(
      peakOverlap([
        [0, 1],
        [1, 2],
        [2, 3],
      ]),
    ).toBe(1);
  });

  it("passes oversell with the peak it reached when reservations overlapped", () => {
    const verdict = checkRun(run);
    const oversell = verdict.checks.find((c) => c.id === "oversell");
    expect(oversell?.status).toBe("pass");
    expect(verdict.contention[0]?.skus[0]?.peakReserves).toBeGreaterThan(1);
    expect(oversell?.summary).toMatch(/SKU 900101: peak \d+ reservations/);
  });

  // Before: "PASS  No oversell" on a burst whose reservations never met at the target.
  it("is NOT JUDGED on oversell, with the figures, when no two reservations were in flight together", () => {
    const verdict = checkRun(oneByOne(run));
    const oversell = verdict.checks.find((c) => c.id === "oversell");
    expect(oversell?.status).toBe("skip");
    expect(oversell?.summary).toMatch(
      /^contention not reached: on SKU 900101 \(12 reservations for 12 units of 5\) no two reservations were in flight together \(peak 1\)/,
    );
  });
});

describe("indeterminate requests", () => {
  // Before: "2 (500 ×2); 0 allowed", with nothing on what they leave unknown.
  it("say how many units of stock they leave unobservable", () => {
    // The first two reservations of the run answered 500: their effect is unknown.
    const lostSeqs = new Set(
      run.phases
        .flatMap((p) => p.observations)
        .filter((o) => o.request.kind === "reserve")
        .slice(0, 2)
        .map((o) => o.request.seq),
    );
    const phases = run.phases.map((p) => ({
      ...p,
      observations: p.observations.map((o) =>
        lostSeqs.has(o.request.seq) ? { ...o, status: 500, klass: "5xx" as const, outcome: "500" } : o,
      ),
    }));
    const check = checkRun({ ...run, phases }).checks.find((c) => c.id === "indeterminate");
    expect(check?.summary).toMatch(/^2 \(.*\); 0 allowed; they leave up to 2 units of SKU 900101 unobservable$/);
  });
});
