import { describe, expect, it } from "vitest";
import { classVerdicts } from "../../src/verify/audit/classes.js";
import type { ScenarioAudit } from "../../src/verify/audit/scenario-audit.js";
import { availableOnlySnapshot } from "../../src/verify/history/stock-observer.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { loadScenario } from "../../src/verify/scenario/load.js";
import { runScenario } from "../../src/verify/scenario/runner.js";

describe("audit classes of a phase the checker could not judge", () => {
  it("are not passed on it, even with the final stock observed", async () => {
    const loaded = loadScenario("races");
    if (!loaded.ok) throw new Error("races does not load");
    // Nothing listens on port 1: the set-up (login) fails, and every check is skipped.
    const raw = await runScenario(loaded.value, { target: "http://127.0.0.1:1", adminKey: null });
    const stock = new Map(loaded.value.skus.map((s) => [s.productStockId, s.stock]));
    const run = raw.phases[0] ?? {
      index: 0,
      name: loaded.value.phases[0]?.name ?? "main",
      traffic: loaded.value.phases[0]?.traffic ?? {
        shape: "burst",
        rounds: 1,
        durationMs: null,
        concurrency: null,
        maxInFlight: null,
      },
      spreadMs: null,
      startedAt: 0,
      endedAt: 0,
      before: null,
      after: null,
      observations: [],
    };
    const phase = { ...run, after: availableOnlySnapshot(stock, 0) };
    const result = { ...raw, phases: [phase] };
    const verdict = checkRun(result);
    expect(verdict.verdict).toBe("not-judged");
    const audit: ScenarioAudit = {
      scenario: loaded.value,
      phases: [{ name: phase.name, result, verdict, stockObservation: "snapshot", notes: [] }],
      error: null,
      durationMs: 0,
      requests: 0,
    };
    const classes = classVerdicts([audit]);
    // Before: lost update, double restore and the others passed on a run that sent nothing.
    expect(classes.filter((c) => c.verdict === "pass").map((c) => c.id)).toEqual([]);
  });
});
