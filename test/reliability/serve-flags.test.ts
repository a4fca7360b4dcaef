import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveServeSettings } from "../../src/base/config/serve-settings.js";
import { runOptionsFrom } from "../../src/cli/run.js";
import { api } from "../helpers/api.js";
import { ensureBuilt, runBuiltCli, type ServeOutcome, serveOutcome } from "../helpers/built-cli.js";
import { buyer, type RunningReference, spawnReference, startReference } from "../helpers/reference.js";

/*
 * Durations given on the command line are bounded where they are parsed. Before, `--hold-ttl
 * 100000000d` started a server whose every order reply failed after the commit (the expiry lay
 * past the last date a Date can hold), `--hold-ttl 0ms` started one whose holds expired at once,
 * and a client `--timeout` past 2^31 ms silently became a 1 ms Node timer.
 */

function refusedWith2(outcome: ServeOutcome): string {
  if (outcome.kind !== "exited") throw new Error(`expected exit 2, but the server ${outcome.kind}:\n${outcome.output}`);
  expect(outcome.code).toBe(2);
  return outcome.output.trim();
}

describe("serve --hold-ttl is bounded at parse time", () => {
  beforeAll(() => ensureBuilt());

  it.each([["100000000d"], ["0ms"]])(
    "serve --hold-ttl %s: one line naming the flag, the value and the range; exit 2, nothing started",
    async (value) => {
      const message = refusedWith2(await serveOutcome(["--port", "0", "--db", ":memory:", "--hold-ttl", value]));
      expect(message).toBe(`--hold-ttl must be a duration from 100ms to 30d (got "${value}")`);
    },
  );

  it("just outside either end, and from STOCKPROOF_HOLD_TTL (named as such): the same refusal", () => {
    for (const value of ["99ms", "31d", "30d 1ms", "1e9d", "-1s"]) {
      expect(() => resolveServeSettings({ holdTtl: value }, {}), value).toThrow(
        /^--hold-ttl must be a duration from 100ms to 30d/,
      );
    }
    expect(() => resolveServeSettings({}, { STOCKPROOF_HOLD_TTL: "100000000d" })).toThrow(
      'STOCKPROOF_HOLD_TTL must be a duration from 100ms to 30d (got "100000000d")',
    );
    expect(resolveServeSettings({ holdTtl: "100ms" }, {}).holdTtlMs).toBe(100);
    expect(resolveServeSettings({ holdTtl: "30d" }, {}).holdTtlMs).toBe(30 * 86_400_000);
  });

  it("at 30d an order's reply is valid: its expiresAt a real date-time, 30 days on", async () => {
    const server = await spawnReference(["--db", ":memory:", "--hold-ttl", "30d"]);
    try {
      const client = api(server.url);
      const reserved = await client.reserve(await client.login(buyer), "ttl-30d", [
        { productStockId: 311191, orderCount: 1 },
      ]);
      expect(reserved.status).toBe(200); // and the spec-checking client accepted the body
      const { createdAt, expiresAt } = reserved.body as { createdAt: string; expiresAt: string };
      expect(Date.parse(expiresAt) - Date.parse(createdAt)).toBe(30 * 86_400_000);
    } finally {
      await server.stop();
    }
  });
});

describe("run and audit --timeout / --max-duration are bounded at parse time", () => {
  let target: RunningReference;
  beforeAll(async () => {
    ensureBuilt();
    target = await startReference();
  });
  afterAll(async () => target.close());

  it.each([
    ["run", "--timeout", "100000000d"],
    ["audit", "--timeout", "0ms"],
  ])("%s %s %s: exit 2 naming the flag and the range, before any request", async (command, flag, value) => {
    const scenario = command === "run" ? ["races"] : ["--scenarios", "races"];
    const before = (await api(target.url).snapshot()).body;
    const result = await runBuiltCli([command, ...scenario, "--target", target.url, flag, value, "--no-progress"]);
    expect(result.stderr.trim()).toBe(`${flag} must be a duration from 1ms to 24d (got "${value}")`);
    expect(result.code).toBe(2);
    expect((await api(target.url).snapshot()).body.orders).toEqual(before.orders);
  });

  it("the same bounds for run's other values (checked in this process)", () => {
    const args = { scenario: "races", target: "http://127.0.0.1:1" };
    for (const [flag, value] of [
      ["timeout", "0ms"],
      ["timeout", "25d"],
      ["max-duration", "100000000d"],
      ["max-duration", "0s"],
    ] as const) {
      expect(() => runOptionsFrom({ ...args, [flag]: value }), `--${flag} ${value}`).toThrow(
        `--${flag} must be a duration from 1ms to 24d (got "${value}")`,
      );
    }
    expect(runOptionsFrom({ ...args, timeout: "24d" }).requestTimeoutMs).toBe(24 * 86_400_000);
  });
});
