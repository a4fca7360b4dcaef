import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatLoadError, parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/runner.js";
import { adminKey, type RunningReference, startReference } from "../helpers/reference.js";

// 30 rounds released together, each waiting between its steps: 30 waits on the run's signal at once.
const waiting = `name: waiting
given:
  skus: [{ productStockId: 900001, productId: 900001, productName: W, color: NONE, size: FREE, salePrice: 1000, stock: 100 }]
  stock: admin
  users: [{ name: buyer, username: buyer@example.com, password: buyer-password, userId: 144602 }]
  traffic: { shape: burst, rounds: 30 }
when:
  - { name: take, reserve: [{ sku: 900001, count: 1 }] }
  - wait: { from: 100ms, to: 200ms }
  - { name: back, cancel: take }
`;

let reference: RunningReference;
beforeAll(async () => {
  reference = await startReference();
});
afterAll(async () => {
  await reference?.close();
});

/*
 * Before: `run expiry --hold-ttl 2s` printed "MaxListenersExceededWarning: Possible EventTarget
 * memory leak detected. 11 abort listeners added to [AbortSignal]": each wait put its own listener
 * on the run's signal.
 */
describe("waits between steps", () => {
  it("share the run's signal without a listener each: no MaxListenersExceededWarning", async () => {
    const parsed = parseScenario(waiting, "waiting.yaml");
    if (!parsed.ok) throw new Error(formatLoadError(parsed.error));
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      const result = await runScenario(parsed.value, { target: reference.url, adminKey });
      const outcomes = result.phases.flatMap((p) => p.observations).map((o) => o.outcome);
      expect(outcomes.filter((o) => o === "ok")).toHaveLength(60);
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
  });
});
