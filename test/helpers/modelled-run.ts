import { formatLoadError, parseScenario } from "../../src/verify/scenario/load.js";
import { runModel } from "../../src/verify/scenario/model.js";
import { planRun, requestsOf } from "../../src/verify/scenario/plan.js";
import type { Observation, RunResult } from "../../src/verify/scenario/runner.js";

const yaml = `name: reserve-and-pay
given:
  skus: [{ productStockId: 7, stock: 3 }]
  users: [{ name: buyer, username: buyer@example.com, password: pw }]
  traffic: { shape: sequential, rounds: 4 }
when:
  - { name: take, reserve: [{ sku: 7, count: 1 }] }
  - { name: pay, pay: take }
`;

/** A run in which the target answered exactly as the model, one request per millisecond, with no snapshot. */
export function runAsModelled(): RunResult {
  const parsed = parseScenario(yaml, "inline.yaml");
  if (!parsed.ok) throw new Error(formatLoadError(parsed.error));
  const scenario = parsed.value;
  const plan = planRun(scenario, "r1");
  const model = runModel(scenario, plan);
  const phases = plan.phases.map((planned) => {
    const observations = requestsOf(planned).map((request): Observation => {
      const expected = model.expected[request.seq];
      const ok = expected?.outcome === "ok";
      return {
        request,
        sentAt: request.seq,
        endedAt: request.seq + 0.5,
        status: expected?.status ?? null,
        outcome: expected?.outcome ?? "NOT_SENT",
        klass: ok ? "ok" : "rejected",
        detail: null,
      };
    });
    return {
      index: planned.index,
      name: planned.phase.name,
      traffic: planned.phase.traffic,
      spreadMs: null,
      startedAt: 0,
      endedAt: observations.length,
      before: null,
      after: null,
      observations,
    };
  });
  return {
    scenario,
    target: "http://127.0.0.1:1",
    runId: "r1",
    startedAt: "2025-01-01T00:00:00.000Z",
    wallMs: 10,
    speed: 1,
    model,
    phases,
    stockObservation: "none",
    setupError: null,
    timedOut: false,
    stopped: null,
    notes: [],
  };
}
