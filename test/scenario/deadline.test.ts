import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScenario } from "../../src/verify/scenario/runner.js";
import { loadedScenario, scenarioYaml } from "../helpers/fixtures.js";
import { type RunningReference, startReference } from "../helpers/reference.js";

const scenario = loadedScenario(
  scenarioYaml({
    name: "small",
    stock: 10,
    stockSource: "admin",
    client: true,
    traffic: "{ shape: burst, rounds: 5 }",
    model: true,
  }),
);
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
