import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { readJsonReport, statuses } from "../helpers/json-report.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

const temp = tempDir("stockproof-audit-shards-");
let reference: RunningReference;

beforeAll(async () => {
  ensureBuilt();
  reference = await startReference();
}, 180_000);

afterAll(async () => {
  await reference?.close();
  temp.remove();
});

const scale = "0.3"; // contention: 300 simultaneous one-unit reservations of 300 units

describe("audit shards released at one instant, judged by check", () => {
  it("each shard prints what it sent and writes its history; merged, the verdict of a single-process audit's history", async () => {
    // One process first, its history written by the audit itself, judged again by check.
    const single = join(temp.dir, "single.jsonl");
    const audit = await runBuiltCli([
      "audit",
      "--target",
      reference.url,
      "--scenarios",
      "contention",
      "--scale",
      scale,
      "--history",
      single,
      "--no-progress",
    ]);
    // contention alone cannot show an oversell (1 000 asked of 1 000): the audit is NOT JUDGED (3), nothing failed.
    expect(audit.code, audit.stdout + audit.stderr).toBe(3);
    expect(audit.stdout).toMatch(/Oversell .*UNJUDGED +could not have seen a fault/);
    expect(audit.stdout).not.toMatch(/ FAIL /);
    expect(audit.stdout).toContain(`wrote history ${single}`);
    const singleJson = join(temp.dir, "single.json");
    const judged = await runBuiltCli([
      "check",
      "contention",
      "--scale",
      scale,
      "--history",
      single,
      "--json",
      singleJson,
    ]);
    expect(judged.code, judged.stdout + judged.stderr).toBe(0);

    const dir = join(temp.dir, "shards");
    const startAt = new Date(Date.now() + 10_000).toISOString();
    const shards = await Promise.all(
      [0, 1, 2].map((i) =>
        runBuiltCli([
          "audit",
          "--target",
          reference.url,
          "--scenarios",
          "contention",
          "--scale",
          scale,
          "--shard",
          `${i}/3`,
          "--start-at",
          startAt,
          "--history",
          dir,
          "--no-progress",
        ]),
      ),
    );
    for (const shard of shards) {
      expect(shard.code, shard.stdout + shard.stderr).toBe(0);
      expect(shard.stdout).toMatch(/shard \d\/3 of contention: 100 requests \(ok 100\)/);
      expect(shard.stdout).toContain("--scale 0.3");
      // The directory's names follow one pattern: each shard names all three.
      expect(shard.stdout).toContain(
        `--history ${[0, 1, 2].map((i) => join(dir, `contention.0.shard-${i}-of-3.jsonl`)).join(",")} --target`,
      );
      expect(shard.stdout).not.toMatch(/Verdict|PASS|FAIL/);
    }
    const histories = readdirSync(dir).map((f) => join(dir, f));
    expect(histories.map((h) => h.replace(/.*\//, "")).sort()).toEqual([
      "contention.0.shard-0-of-3.jsonl",
      "contention.0.shard-1-of-3.jsonl",
      "contention.0.shard-2-of-3.jsonl",
    ]);
    const mergedJson = join(temp.dir, "merged.json");
    const check = await runBuiltCli([
      "check",
      "contention",
      "--scale",
      scale,
      "--history",
      histories.join(","),
      "--target",
      reference.url,
      "--json",
      mergedJson,
    ]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    const a = readJsonReport(singleJson);
    const b = readJsonReport(mergedJson);
    expect(b.verdict).toBe(a.verdict);
    expect(statuses(b)).toEqual(statuses(a));
    // The model's counts, as check computed them for the merged run and the single process alike.
    expect(b.cases.reserve?.model).toEqual(a.cases.reserve?.model);
    expect(b.cases.reserve?.observed).toEqual(b.cases.reserve?.model);
  }, 240_000);

  it("refuses to shard several scenario phases at once, naming the fix, before sending anything", async () => {
    const dir = join(temp.dir, "refused");
    const run = await runBuiltCli([
      "audit",
      "--target",
      reference.url,
      "--scenarios",
      "seed-3-1",
      "--shard",
      "0/2",
      "--history",
      dir,
    ]);
    expect(run.code, run.stdout + run.stderr).toBe(2);
    expect(run.stderr).toMatch(/A sharded audit releases one scenario phase at one instant; --scenarios gives 2/);
    expect(run.stderr).toContain("--phase NAME --shard i/N");
    const file = await runBuiltCli([
      "audit",
      "--target",
      reference.url,
      "--scenarios",
      "seed-3-1",
      "--history",
      join(temp.dir, "one.jsonl"),
    ]);
    expect(file.code, file.stdout + file.stderr).toBe(2);
    expect(file.stderr).toMatch(/--history .*one\.jsonl is one file, but this audit runs 2 scenario phases/);
  }, 60_000);
});
