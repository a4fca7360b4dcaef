import { describe, expect, it } from "vitest";
import { mergeCredentials, parseUsers, withCredentials } from "../../src/verify/audit/credentials.js";
import { scaleScenario } from "../../src/verify/audit/sizes.js";
import { givenStock, runSetupCommand } from "../../src/verify/audit/stock-setup.js";
import { parseSnapshotOutput, runSnapshotCommand } from "../../src/verify/history/snapshot-command.js";
import { loadScenario } from "../../src/verify/scenario/load.js";
import type { Scenario } from "../../src/verify/scenario/types.js";

function load(name: string): Scenario {
  const loaded = loadScenario(name);
  if (!loaded.ok) throw new Error(`${name} does not load`);
  return loaded.value;
}

describe("audit options", () => {
  it("loads the failure-class scenarios shipped as YAML", () => {
    const contention = load("contention");
    expect(contention.skus.map((s) => s.stock)).toEqual([1000]);
    expect(contention.phases[0]?.traffic).toMatchObject({ shape: "burst", rounds: 1000 });
    const carts = load("crossed-carts");
    expect(carts.users.map((u) => u.name)).toEqual(["buyer", "other"]);
    const [first, second] = carts.round[0]?.cases ?? [];
    expect(first?.action).toMatchObject({ kind: "reserve", lines: [{ sku: 800001 }, { sku: 800002 }] });
    expect(second?.action).toMatchObject({ kind: "reserve", lines: [{ sku: 800002 }, { sku: 800001 }] });
  });

  it("parses users with and without aliases, and refuses an entry without a password", () => {
    expect(parseUsers("buyer=a@x.io:p:w,other=b@x.io:q")).toEqual({
      ok: true,
      value: [
        { alias: "buyer", username: "a@x.io", password: "p:w" },
        { alias: "other", username: "b@x.io", password: "q" },
      ],
    });
    expect(parseUsers("a@x.io:p")).toEqual({ ok: true, value: [{ alias: null, username: "a@x.io", password: "p" }] });
    const bad = parseUsers("nobody");
    expect(bad.ok).toBe(false);
  });

  it("lets flags win over the environment and both over the scenario file", () => {
    const merged = mergeCredentials(
      { clientId: "flag-client", users: [{ alias: "other", username: "o@x.io", password: "o" }] },
      { clientId: "env-client", clientSecret: "env-secret" },
    );
    const scenario = withCredentials(load("crossed-carts"), merged);
    expect(scenario.client).toEqual({ id: "flag-client", secret: "env-secret" });
    expect(scenario.users.map((u) => `${u.name}=${u.username}:${u.password}`)).toEqual([
      "buyer=buyer@example.com:buyer-password",
      "other=o@x.io:o",
    ]);
  });

  it("scales rounds and stock together", () => {
    const scaled = scaleScenario(load("seed-3-1"), 0.2);
    expect(scaled.skus.map((s) => s.stock)).toEqual([10]);
    expect(scaled.phases.map((p) => p.traffic.rounds)).toEqual([20, 200]);
  });

  it("keeps two rounds of a scenario with a together step: one with its cases as listed, one reversed", () => {
    // Before: races at --scale 0.02 ran one round, its pay always sent before the cancel racing it.
    expect(scaleScenario(load("races"), 0.02).phases.map((p) => p.traffic.rounds)).toEqual([2]);
    expect(scaleScenario(load("races"), 0.001).phases.map((p) => p.traffic.rounds)).toEqual([2]);
    expect(scaleScenario(load("seed-3-1"), 0.001).phases.map((p) => p.traffic.rounds)).toEqual([1, 1]);
  });

  it("reads both snapshot shapes and names a missing SKU", () => {
    expect(parseSnapshotOutput('{"1": 5, "2": 0}', [1, 2])).toEqual({
      ok: true,
      value: new Map([
        [1, 5],
        [2, 0],
      ]),
    });
    expect(parseSnapshotOutput('{"skus":[{"productStockId":1,"available":7}]}', [1])).toEqual({
      ok: true,
      value: new Map([[1, 7]]),
    });
    const missing = parseSnapshotOutput('{"1": 5}', [1, 2]);
    expect(missing.ok ? "" : missing.error).toMatch(/SKU 2/);
    const garbage = parseSnapshotOutput("stock: 5", [1]);
    expect(garbage.ok ? "" : garbage.error).toMatch(/not JSON/);
  });

  it("hands --setup the given stock on stdin and reports a failing command with its stderr", async () => {
    const given = givenStock(load("contention"), "main");
    const echoed = await runSnapshotCommand(
      `node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{const g=JSON.parse(t);console.log(JSON.stringify({[g.skus[0]]:42}))})'`,
      [800001],
    );
    expect(echoed).toEqual({ ok: true, value: new Map([[800001, 42]]) });
    const seen = await runSetupCommand(
      `node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>{const g=JSON.parse(t);process.exit(g.skus[0].stock===1000&&g.scenario==="contention"?0:3)})'`,
      given,
    );
    expect(seen).toEqual({ ok: true, value: undefined });
    const failed = await runSetupCommand("echo 'no such table: stock' >&2; exit 4", given);
    expect(failed.ok ? "" : failed.error).toMatch(/exited with 4: no such table: stock/);
  });
});
