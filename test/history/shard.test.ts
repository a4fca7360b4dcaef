import { afterEach, describe, expect, it, vi } from "vitest";
import { shardFiles } from "../../src/cli/history-args.js";
import { loadScenario } from "../../src/verify/scenario/load.js";
import { planRun } from "../../src/verify/scenario/plan.js";
import {
  boundStartAt,
  maxTimerMs,
  parseShard,
  parseStartAt,
  shardPhase,
  sleepUntil,
  startAtHorizonMs,
} from "../../src/verify/scenario/shard.js";
import { cli } from "../helpers/cli.js";
import { startReference } from "../helpers/reference.js";

describe("--shard and --start-at", () => {
  it("parses i/N from 0 and refuses what names no shard", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["3/3", "1/0", "a/2", "1", "-1/2"]) expect(() => parseShard(bad)).toThrow(/--shard must be i\/N/);
  });

  it("takes an instant only with its time zone", () => {
    expect(parseStartAt("2026-05-01T10:00:00Z")).toBe(Date.UTC(2026, 4, 1, 10));
    expect(parseStartAt("2026-05-01T12:00:00+02:00")).toBe(Date.UTC(2026, 4, 1, 10));
    expect(() => parseStartAt("2026-05-01T10:00:00")).toThrow(/time zone/);
  });

  it("gives every round to exactly one of N shards", () => {
    const loaded = loadScenario("races");
    if (!loaded.ok) throw new Error("races did not load");
    const phase = planRun(loaded.value, "t").phases[0];
    if (phase === undefined) throw new Error("no phase");
    const shares = [0, 1, 2].map((index) => shardPhase(phase, { index, count: 3 }).rounds.map((r) => r.round));
    expect(shares.flat().sort((a, b) => a - b)).toEqual(phase.rounds.map((r) => r.round));
    expect(new Set(shares.flat()).size).toBe(phase.rounds.length);
  });

  /*
   * Before: `run contention --shard 1/3 --start-at 2030-01-01T00:00:00Z` printed over a million
   * TimeoutOverflowWarning lines and never exited: setTimeout fires at once past 2^31−1 ms.
   */
  it("refuses an instant more than 24 h ahead, naming the flag, the value and the bound", () => {
    const now = Date.UTC(2026, 4, 1, 10);
    expect(boundStartAt(now + startAtHorizonMs, "ok", now)).toBe(now + startAtHorizonMs);
    expect(() => boundStartAt(now + startAtHorizonMs + 1, "2026-05-02T10:00:00.001Z", now)).toThrow(
      "--start-at 2026-05-02T10:00:00.001Z is more than 24 h ahead (latest: 2026-05-02T10:00:00.000Z)",
    );
  });

  it("run and audit exit 2 on a far --start-at, one line, before the target is asked anything", async () => {
    const far = "2030-01-01T00:00:00Z";
    const common = ["--target", "http://127.0.0.1:1", "--shard", "1/3", "--start-at", far, "--history", "x.jsonl"];
    for (const args of [
      ["run", "contention", ...common],
      ["audit", "--scenarios", "contention", ...common],
    ]) {
      const done = await cli(args);
      expect(done.code, done.stderr).toBe(2);
      expect(done.stderr.trim().split("\n")).toHaveLength(1);
      expect(done.stderr).toMatch(/^--start-at 2030-01-01T00:00:00Z is more than 24 h ahead \(latest: /);
    }
  });
});

// Before: "1000 requests in 17.4 s · 1657 req/s": the time held the wait for --start-at, the rate did not.
it("a run released at --start-at gives its time and its rate over the same span, from the release", async () => {
  const reference = await startReference();
  try {
    const startAt = new Date(Date.now() + 3_000).toISOString();
    const run = await cli(["run", "races", "--target", reference.url, "--start-at", startAt, "--no-progress"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const m = /^(\d+) requests in ([\d.]+) s · (\d+) req\/s/m.exec(run.stdout);
    expect(m, run.stdout).not.toBeNull();
    const [requests, seconds, rate] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
    // The seconds are rounded to 0.1 s and the rate to 1/s: requests = seconds × rate within that.
    expect(Math.abs(requests - seconds * rate)).toBeLessThanOrEqual(0.05 * rate + 0.5 * seconds + 1);
  } finally {
    await reference.close();
  }
}, 60_000);

// Before: every shard printed `--history <the 3 history files, comma-separated>`.
describe("the other shards' history files", () => {
  it("are told from this shard's name when it holds the shard number once", () => {
    expect(shardFiles("out/shard-1.jsonl", { index: 1, count: 3 })).toEqual([
      "out/shard-0.jsonl",
      "out/shard-1.jsonl",
      "out/shard-2.jsonl",
    ]);
    // audit's directory names: the phase number is not the shard's.
    expect(shardFiles("h/contention.0.shard-0-of-2.jsonl", { index: 0, count: 2 })).toEqual([
      "h/contention.0.shard-0-of-2.jsonl",
      "h/contention.0.shard-1-of-2.jsonl",
    ]);
    expect(shardFiles("run-2026/gen2.jsonl", { index: 2, count: 3 })).toEqual([
      "run-2026/gen0.jsonl",
      "run-2026/gen1.jsonl",
      "run-2026/gen2.jsonl",
    ]);
  });

  it("are not guessed when the name holds no shard number, or several that could be it", () => {
    expect(shardFiles("x.jsonl", { index: 1, count: 3 })).toBeNull();
    expect(shardFiles("run1-part1.jsonl", { index: 1, count: 3 })).toBeNull();
  });
});

describe("sleepUntil", () => {
  afterEach(() => {
    // The spy wraps the fake setTimeout: restored after the real timers, it would put the fake one
    // back for every later test in this worker (a run waiting on a timer then never wakes).
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it("waits for an instant past setTimeout's limit in chunks a timer can hold", async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 4, 1) });
    const timeout = vi.spyOn(globalThis, "setTimeout");
    const days = 30 * 24 * 60 * 60 * 1000;
    let done = false;
    const waiting = sleepUntil(Date.now() + days).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(days - 60_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    await waiting;
    expect(done).toBe(true);
    const delays = timeout.mock.calls.map((call) => call[1] ?? 0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(maxTimerMs);
  });
});
