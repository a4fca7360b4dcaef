import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { loadScenario } from "../../src/verify/scenario/load.js";
import { runScenario } from "../../src/verify/scenario/runner.js";
import { ensureBuilt } from "../helpers/built-cli.js";
import { adminKey, type SpawnedReference, spawnReference } from "../helpers/reference.js";

/*
 * Before: `run races` against `serve --max-connections 8` said "the target stopped answering … check
 * the server's logs for why it stopped". The server was fine: it turned sockets away at its limit
 * and answered others 503 with Retry-After.
 */
describe("a target at its connection limit", () => {
  let served: SpawnedReference;
  beforeAll(async () => {
    ensureBuilt();
    // Its own process, as `serve` runs: the runner's sockets and the server's do not share one loop.
    served = await spawnReference(["--db", ":memory:", "--max-connections", "8"]);
  }, 180_000);
  afterAll(async () => {
    await served?.stop();
  });

  it("is not called stopped: the reason names the connection limit, the fix the concurrency and the limit", async () => {
    const races = loadScenario("races");
    if (!races.ok) throw new Error("races did not load");
    const result = await runScenario(races.value, { target: served.url, adminKey });
    const verdict = checkRun(result);
    const failed = verdict.checks.filter((c) => c.status === "fail");
    // A server slow to accept answers most requests 503 (busy) instead of resetting them, and the run
    // completes: its 5xx under contention are a finding (a full run on a niced server: 19 of 20 runs,
    // 275–366 of 400 answered 503), never a stock class. Before, this test assumed the run stopped.
    if (result.stopped === null) {
      expect(verdict.verdict).toBe("fail");
      expect(failed.map((c) => c.id).filter((id) => id !== "indeterminate" && id !== "thresholds")).toEqual([]);
      // Fewer than 20 resets in a row do not stop the run: they are counted beside the 503s (a stress
      // run: 296 and 14), in the order each was first seen.
      const indeterminate = failed.find((c) => c.id === "indeterminate")?.summary;
      expect(indeterminate).toMatch(
        /^\d+ \((HTTP_503|CONNECTION_RESET) ×\d+(, (HTTP_503|CONNECTION_RESET) ×\d+)?\); 0 allowed/,
      );
      // The server answered busy rather than only turning connections away.
      expect(indeterminate).toMatch(/HTTP_503 ×\d+/);
      return;
    }
    expect(verdict.verdict, JSON.stringify(failed)).toBe("not-judged");
    const statuses = result.phases.flatMap((p) => p.observations).map((o) => o.status);
    // Whether a 503 comes before 20 resets in a row depends on the machine's timing; both words are
    // asserted, each where it applies, and the fix names the limit either way.
    if (statuses.includes(503)) {
      expect(verdict.notJudged?.reason).toMatch(
        /^the target turned connections away [\d.]+ s into the run: 20 connection failures in a row \(CONNECTION_RESET ×\d+.*\), while it answered \d+ other requests, \d+ of them 503 \(busy\) — a connection limit, not a stopped server/,
      );
      expect(verdict.checks.find((c) => c.id === "oversell")?.summary).toBe(
        "not judged (the target turned connections away at its connection limit)",
      );
    } else expect(verdict.notJudged?.reason).toMatch(/^the target stopped answering .*CONNECTION_RESET/);
    expect(verdict.notJudged?.fix).toContain("lower the scenario's concurrency");
    expect(verdict.notJudged?.fix).toContain("serve --max-connections");
  });
});
