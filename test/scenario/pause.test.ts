import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pauseUntil } from "../../src/verify/scenario/pause.js";
import { runScenario } from "../../src/verify/scenario/runner.js";
import { loadedScenario, reserveOne, scenarioYaml } from "../helpers/fixtures.js";
import { adminKey, type RunningReference, startReference } from "../helpers/reference.js";

// 30 rounds released together, each waiting between its steps: 30 waits on the run's signal at once.
const waiting = scenarioYaml({
  name: "waiting",
  stock: 100,
  sku: 900001,
  productName: "W",
  stockSource: "admin",
  traffic: "{ shape: burst, rounds: 30 }",
  steps: [reserveOne("take", 900001), "wait: { from: 100ms, to: 200ms }", "{ name: back, cancel: take }"],
});

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
    const scenario = loadedScenario(waiting, "waiting.yaml");
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      const result = await runScenario(scenario, { target: reference.url, adminKey });
      const outcomes = result.phases.flatMap((p) => p.observations).map((o) => o.outcome);
      expect(outcomes.filter((o) => o === "ok")).toHaveLength(60);
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
  });
});

/*
 * Before: the runner slept `settle` ms once and took the final read. Node counts timers in whole
 * milliseconds, so the timer woke up to 1 ms before the run's clock (performance.now) said the last
 * window had closed: 4 of 12 audits of a server that never releases holds said Hold expiry PASS.
 */
describe("the wait for every release window to close", () => {
  it("ends only when the run's own clock has passed the instant, however early the timer wakes", async () => {
    let clock = 1000.6;
    const naps: number[] = [];
    // A timer that wakes 0.9 ms early, as a whole-millisecond timer may when it starts at x.9 ms.
    const earlyPause = (ms: number) => {
      naps.push(ms);
      clock += ms - 0.9;
      return Promise.resolve();
    };
    await pauseUntil(earlyPause, new AbortController().signal, 1500.3, () => clock);
    expect(clock).toBeGreaterThanOrEqual(1500.3);
    expect(naps.length).toBeGreaterThan(1);
  });

  it("ends at once when the run is stopped", async () => {
    const stop = new AbortController();
    stop.abort();
    let naps = 0;
    await pauseUntil(
      () => {
        naps++;
        return Promise.resolve();
      },
      stop.signal,
      Number.POSITIVE_INFINITY,
      () => 0,
    );
    expect(naps).toBe(0);
  });
});
