import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { formatLoadError, loadScenario } from "../../src/verify/scenario/load.js";
import { runModel } from "../../src/verify/scenario/model.js";
import { planRun } from "../../src/verify/scenario/plan.js";
import { runScenario } from "../../src/verify/scenario/runner.js";
import type { Scenario } from "../../src/verify/scenario/types.js";
import { type RunningReference, startReference } from "../helpers/reference.js";

function scenario(name: string): Scenario {
  const loaded = loadScenario(name);
  if (!loaded.ok) throw new Error(formatLoadError(loaded.error));
  return loaded.value;
}

describe("the built-in scenarios pass against the reference", () => {
  let reference: RunningReference;
  beforeAll(async () => {
    reference = await startReference();
  });
  afterAll(() => reference.close());

  // seed-3-2 spreads 500 rounds over 10 minutes; ×200 compresses that to 3 seconds.
  for (const [name, speed] of [
    ["seed-3-1", 1],
    ["seed-3-2", 200],
    ["races", 1],
  ] as const) {
    test(`${name}: every check passes and every case's counts equal the model's`, async () => {
      const result = await runScenario(scenario(name), { target: reference.url, speed });
      const verdict = checkRun(result);
      // In races, who wins pay-vs-cancel is not determined; when cancel wins, the final stock
      // differs from the model's sequential order, which conservation then explains (a warning).
      const racesAsModel = verdict.cases.filter((c) => c.raced).every((c) => c.matchesModel);
      const unexplained = verdict.checks.filter(
        (c) => c.status === "fail" || (c.status === "warn" && (racesAsModel || c.id !== "final-stock")),
      );
      expect(unexplained).toEqual([]);
      expect(verdict.violations).toEqual([]);
      expect(verdict.divergences).toEqual([]);
      expect(verdict.verdict).toBe("pass");
      for (const c of verdict.cases.filter((x) => !x.raced)) expect(c.observed, c.name).toEqual(c.model);
      // The model's counts come from the pure domain, run independently of the runner here.
      const model = runModel(result.scenario, planRun(result.scenario, "independent"));
      for (const c of verdict.cases) expect(c.model, c.name).toEqual(model.counts[c.name]);
      const last = verdict.stock.filter((s) => s.phase === result.phases.at(-1)?.name);
      for (const s of last) {
        expect(s.observed, `final stock of ${s.sku} by conservation`).toBe(s.min);
        if (racesAsModel) expect(s.observed, `final stock of ${s.sku}`).toBe(model.final[s.sku]);
      }
    });
  }

  test("seed-3-2: the model keeps case names case1…case4 and each round takes 3 of A and 4 of B while both last", () => {
    const s = scenario("seed-3-2");
    const model = runModel(s, planRun(s, "model"));
    expect(Object.keys(model.counts)).toEqual(["case1", "case2", "case3", "case4"]);
    const ok = (name: string) => model.counts[name]?.ok ?? 0;
    const rounds = s.phases[0]?.traffic.rounds ?? 0;
    // Conservation over the whole run, from the model's own counts.
    expect(model.final[800001]).toBe(800 - 2 * ok("case1") + 2 * ok("case3") - 3 * ok("case4"));
    expect(model.final[800002]).toBe(1600 - 3 * ok("case2") - ok("case4"));
    // Every case either succeeded or was refused for stock, never anything else.
    for (const name of ["case1", "case2", "case4"]) {
      expect((model.counts[name]?.ok ?? 0) + (model.counts[name]?.OUT_OF_STOCK ?? 0)).toBe(rounds);
    }
  });
});
