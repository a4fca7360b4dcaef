import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classVerdicts } from "../../src/verify/audit/classes.js";
import type { ScenarioAudit } from "../../src/verify/audit/scenario-audit.js";
import { availableOnlySnapshot } from "../../src/verify/history/stock-observer.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { formatLoadError, parseScenario } from "../../src/verify/scenario/load.js";
import { type RunResult, runScenario } from "../../src/verify/scenario/runner.js";
import { adminKey, type RunningReference, startReference } from "../helpers/reference.js";

// 12 reservations of one unit released together on 5 units, run against the reference; each case
// below rewrites the answers into what a faulty or foreign server gave, and reads the audit's words.
const burst = `name: short
given:
  skus: [{ productStockId: 900101, productId: 900101, productName: S, color: NONE, size: FREE, salePrice: 1000, stock: 5 }]
  stock: admin
  users: [{ name: buyer, username: buyer@example.com, password: buyer-password, userId: 144602 }]
  traffic: { shape: burst, rounds: 12 }
when:
  - { name: take, reserve: [{ sku: 900101, count: 1 }] }
`;

let reference: RunningReference;
let run: RunResult;
beforeAll(async () => {
  reference = await startReference();
  const parsed = parseScenario(burst, "short.yaml");
  if (!parsed.ok) throw new Error(formatLoadError(parsed.error));
  run = await runScenario(parsed.value, { target: reference.url, adminKey });
});
afterAll(async () => {
  await reference?.close();
});

function audited(result: RunResult, stockObservation: "snapshot" | "none" = "snapshot"): ScenarioAudit {
  const verdict = checkRun(result);
  const phase = result.phases[0];
  if (phase === undefined) throw new Error("the run has no phase");
  return {
    scenario: result.scenario,
    phases: [{ name: phase.name, result, verdict, stockObservation, notes: [] }],
    error: null,
    durationMs: result.wallMs,
    requests: verdict.requests,
  };
}

/** Every reservation answered 200: 12 units held on 5, the stock left at `final`. */
function oversold(final: number): RunResult {
  const phases = run.phases.map((p) => ({
    ...p,
    after: availableOnlySnapshot(new Map([[900101, final]]), p.endedAt),
    observations: p.observations.map((o) => ({ ...o, status: 200, outcome: "ok", klass: "ok" as const })),
  }));
  return { ...run, phases };
}

const evidence = (audit: ScenarioAudit, id: string) => classVerdicts([audit]).find((c) => c.id === id)?.evidence ?? [];

describe("the audit's evidence, in plain words", () => {
  it("says what was oversold, by how much, where and when", () => {
    const words = evidence(audited(oversold(-8)), "oversell").join("\n");
    // Before: "SKU 900101 oversold: by 12.3 ms 12 units were held by accepted reservations …"
    expect(words).not.toMatch(/oversold: by/);
    expect(words).toMatch(
      /SKU 900101 oversold by 7 units: 12 held by accepted reservations \(none cancelled\) against 5 in stock, [\d.]+ ms into the run\./,
    );
  });

  it("calls a negative expected stock what it is: reservations beyond the stock", () => {
    const words = evidence(audited(oversold(-8)), "lost-update").join("\n");
    // Before: "final -8, expected -7 (5 − 12 reserved + 0 restored)"
    expect(words).not.toMatch(/expected -7/);
    expect(words).toContain(
      "SKU 900101: final -8, but the accepted reservations (12 units, 0 restored) exceed the 5 in stock by 7: the stock would have gone below zero",
    );
    // The run's report too: "expected available -7 (5 initial − 12 reserved + 0 restored)" before.
    const conservation = checkRun(oversold(-8)).violations.find((v) => v.check === "conservation");
    expect(conservation?.expected).toBe(
      "the stock to stay at or above 0, but the accepted reservations (12 units, 0 restored) exceed the 5 in stock by 7: the stock would have gone below zero",
    );
  });

  it("names the refusal codes it judged, in the server's own words, with their counts", () => {
    const foreign = {
      ...run,
      phases: run.phases.map((p) => ({
        ...p,
        observations: p.observations.map((o) => (o.outcome === "OUT_OF_STOCK" ? { ...o, outcome: "SOLD_OUT" } : o)),
      })),
    };
    const audit = audited(foreign);
    expect(classVerdicts([audit]).find((c) => c.id === "wrong-rejection")?.verdict).toBe("pass");
    // Before: "0 OUT_OF_STOCKs, every one explained by stock taken" while 7 SOLD_OUTs were judged.
    expect(evidence(audit, "wrong-rejection")).toEqual([
      "7 refused reservations judged (409 SOLD_OUT ×7), every one explained by stock taken",
    ]);
  });

  it("says a run cut by its time bound before the final read was cut, not that --snapshot is missing", () => {
    const cut: RunResult = {
      ...run,
      timedOut: true,
      wallMs: 310_400,
      phases: run.phases.map((p) => ({ ...p, after: null })),
    };
    const words = evidence(audited(cut, "none"), "lost-update").join("\n");
    // Before: "final stock was not observed: give --snapshot CMD, keep the probe on, or use the test-control API"
    expect(words).not.toContain("--snapshot");
    expect(words).toContain(
      "the run was cut by its time bound after 310 s, so the final stock was not read: lower the load (--scale, --speed) or make the target answer faster",
    );
  });
});
