import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { devReset, devSnapshot } from "../audit/support.js";
import { type BrokenShop, startBrokenShop } from "../helpers/broken-shop.js";
import { cli } from "../helpers/cli.js";
import { loadWritten, requestsOf, scratch } from "./support.js";

/** Shrinking against a server without a test-control API, and the limits a run is given. */
describe("stockproof shrink on a team's server (--setup, --snapshot) and within its limits", () => {
  let shop: BrokenShop | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await shop?.close();
    shop = undefined;
    cleanup?.();
  });
  const outFile = () => {
    const { dir, remove } = scratch();
    cleanup = remove;
    return join(dir, "repro.yaml");
  };

  const fewRuns = ["--runs", "2", "--keep", "2", "--confirm", "3", "--budget", "12s"];

  /** races at 4 rounds, as a file next to `out`. */
  const smallRaces = (out: string) => {
    const path = join(dirname(out), "races-4.yaml");
    const races = readFileSync(new URL("../../scenarios/races.yaml", import.meta.url), "utf8");
    writeFileSync(path, races.replace("traffic: { shape: burst, rounds: 50 }", "traffic: { shape: burst, rounds: 4 }"));
    return path;
  };

  it("resets stock with --setup before every run and reads it with --snapshot; the replay is an audit with both", async () => {
    // A 10 ms window: three shell commands a run load this machine more than the race does.
    shop = await startBrokenShop({ faults: { doubleRestore: true, cancelGapMs: 10 }, stockApi: "own" });
    const out = outFile();
    const [setup, snapshot] = [devReset(shop.url), devSnapshot(shop.url)];
    const args = ["--target", shop.url, "--no-admin", "--setup", setup, "--snapshot", snapshot];
    // Each run here starts five shell commands (set-up, a read before, two after): the search starts
    // small, with fewer runs, and a budget a loaded machine can meet.
    const start = smallRaces(out);
    const result = await cli([
      "shrink",
      start,
      ...args,
      "--read-lag",
      "0",
      "--class",
      "double-restore",
      "--out",
      out,
      ...fewRuns.slice(0, -2),
      "--budget",
      "45s",
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const written = loadWritten(out);
    expect(requestsOf(written), result.stdout + result.stderr).toBeLessThanOrEqual(8);
    expect(readFileSync(out, "utf8")).toContain(
      `# Replay: stockproof audit --scenarios ${out} --target ${shop.url} --setup '${setup}' --snapshot '${snapshot}' --no-admin`,
    );
    // The replay, as written: the audit of the file fails double restore again (a race: up to 3 tries).
    const replays: Awaited<ReturnType<typeof cli>>[] = [];
    for (let i = 0; i < 3 && !replays.some((r) => r.code === 1); i++)
      replays.push(await cli(["audit", "--scenarios", out, ...args]));
    expect(replays.map((r) => r.code)).toContain(1);
    expect(replays.at(-1)?.stdout).toMatch(/Double restore\s+races-repro\s+FAIL/);
  }, 120_000);

  it("a spent --budget keeps the smallest scenario found so far, says so, and rates it by the runs it had", async () => {
    shop = await startBrokenShop({ faults: { doubleRestore: true, cancelGapMs: 2 }, stockApi: "test-control" });
    const out = outFile();
    const json = join(dirname(out), "shrink.json");
    const result = await cli([
      "shrink",
      "races",
      "--target",
      shop.url,
      "--out",
      out,
      "--budget",
      "1ms",
      "--json",
      json,
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/the 0\.0 s budget ran out: a longer --budget may shrink further/);
    expect(requestsOf(loadWritten(out))).toBe(400);
    expect(readFileSync(out, "utf8")).toMatch(/^# fails in 3 of 3 runs\.$/m);
    expect(JSON.parse(readFileSync(json, "utf8"))).toMatchObject({
      outcome: "shrunk",
      class: "double-restore",
      from: { requests: 400 },
      to: { requests: 400 },
      failed: 3,
      confirmationRuns: 3,
      budgetHit: true,
      file: out,
    });
  }, 60_000);

  it("--class names the class to shrink; another class failing is named, exit 1", async () => {
    shop = await startBrokenShop({ faults: { doubleRestore: true, cancelGapMs: 2 }, stockApi: "test-control" });
    const out = outFile();
    const result = await cli([
      "shrink",
      "races",
      "--class",
      "errors-under-contention",
      "--target",
      shop.url,
      "--out",
      out,
      "--no-progress",
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      /^Nothing to shrink: "Errors under contention \(5xx\)" did not fail in 5 runs of races\. Other classes failed: double-restore, paid-and-cancelled \(shrink one with --class\)\./,
    );
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
