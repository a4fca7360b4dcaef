import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/runner.js";
import { type RunningReference, startReference } from "../helpers/reference.js";

const parsed = parseScenario(
  `name: small
given:
  skus: [{ productStockId: 800001, productId: 800001, productName: A, color: NONE, size: FREE, salePrice: 1000, stock: 10 }]
  stock: admin
  users: [{ name: buyer, username: buyer@example.com, password: buyer-password, userId: 144602 }]
  client: { id: clientapp, secret: secret }
  traffic: { shape: burst, rounds: 5 }
when:
  - { name: take, reserve: [{ sku: 800001, count: 1 }] }
then:
  counts: model
  finalStock: model
`,
  "inline.yaml",
);
if (!parsed.ok) throw new Error("the scenario does not parse");
const scenario = parsed.value;
let reference: RunningReference;

beforeAll(async () => {
  reference = await startReference({ rules: { holdTtlMs: 300 } });
});
afterAll(async () => {
  await reference?.close();
});

const sentOf = (result: Awaited<ReturnType<typeof runScenario>>) =>
  result.phases.flatMap((p) => p.observations).filter((o) => o.klass !== "not-sent").length;

describe("the run's time bound bounds the traffic, not the tool's own waits", () => {
  it("does not count the wait for --start-at (it cut every shard off before its burst)", async () => {
    const result = await runScenario(scenario, {
      target: reference.url,
      runTimeoutMs: 400,
      startAt: Date.now() + 1_200,
    });
    expect(result.timedOut).toBe(false);
    expect(sentOf(result)).toBe(5);
  });

  it("does not count the wait for holds to expire (a correct server failed its time bound)", async () => {
    const result = await runScenario(scenario, {
      target: reference.url,
      runTimeoutMs: 400,
      holdTtlMs: 300,
      expiryGraceMs: 500,
    });
    expect(result.timedOut).toBe(false);
    expect(result.phases[0]?.after).not.toBeNull();
  });
});
