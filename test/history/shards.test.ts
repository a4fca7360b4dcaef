import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { devSnapshot } from "../audit/support.js";
import { startBrokenShop } from "../helpers/broken-shop.js";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { checkArgs, reserveOne, scenarioYaml } from "../helpers/fixtures.js";
import { readJsonReport, statuses } from "../helpers/json-report.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

/**
 * 150 simultaneous one-unit reserve→pay rounds on 100 units (seed-3-1's shape): 100 must win, 50 be
 * refused, none oversold. Paid holds never come back, so an oversell cannot pass for expiring holds.
 */
const scenario = (stock: "admin" | "declared") =>
  scenarioYaml({
    name: "shortage",
    stock: 100,
    stockSource: stock,
    client: true,
    traffic: "{ shape: burst, rounds: 150 }",
    limits: "{ requestTimeout: 20s, runTimeout: 1m }",
    steps: [reserveOne("reserve"), "{ name: pay, pay: reserve }"],
    model: true,
  });

const temp = tempDir("stockproof-shards-");
let reference: RunningReference;

beforeAll(async () => {
  ensureBuilt();
  reference = await startReference();
  writeFileSync(join(temp.dir, "admin.yaml"), scenario("admin"));
  writeFileSync(join(temp.dir, "declared.yaml"), scenario("declared"));
}, 180_000);

afterAll(async () => {
  await reference?.close();
  temp.remove();
});

/** N shard processes of `run`, all told to release their bursts at one instant a few seconds ahead. */
async function runShards(file: string, target: string, count: number, tag: string): Promise<string[]> {
  // Far enough ahead for N CLI processes to start on a busy two-core machine.
  const startAt = new Date(Date.now() + 10_000).toISOString();
  const histories = Array.from({ length: count }, (_, i) => join(temp.dir, `${tag}-${i}.jsonl`));
  const runs = await Promise.all(
    histories.map((history, i) =>
      runBuiltCli([
        "run",
        file,
        "--target",
        target,
        "--shard",
        `${i}/${count}`,
        "--start-at",
        startAt,
        "--history",
        history,
        "--no-progress",
      ]),
    ),
  );
  for (const run of runs) expect(run.stderr + run.stdout).toMatch(/shard \d\/\d of shortage: 100 requests/);
  // Each shard names every shard's file, told from its own name (tag-0.jsonl, tag-1.jsonl, …).
  // Then how check reads the final stock: the target's test-control API, or (a target without one)
  // the stock measured after every shard ended.
  for (const run of runs) expect(run.stdout).toMatch(/--history \S+ --(target|final-stock) /);
  for (const run of runs) expect(run.stdout).toContain(`--history ${histories.join(",")} --`);
  expect(runs.map((r) => r.code)).toEqual(runs.map(() => 0));
  return histories;
}

// Side by side: each test spends most of its time waiting for its shards' start instant.
describe.concurrent("sharded runs released at one instant, judged by check", () => {
  it("gives the verdict of a single-process run of the same scenario against the reference", async () => {
    const file = join(temp.dir, "admin.yaml");
    const singleJson = join(temp.dir, "single.json");
    const single = await runBuiltCli(["run", file, "--target", reference.url, "--no-progress", "--json", singleJson]);
    expect(single.code, single.stdout + single.stderr).toBe(0);
    // The JSON report's timeline is a history too: judged again, the same verdict, check by check.
    const againJson = join(temp.dir, "again.json");
    const again = await runBuiltCli(checkArgs(file, singleJson, { json: againJson }));
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(statuses(readJsonReport(againJson))).toEqual(statuses(readJsonReport(singleJson)));

    const histories = await runShards(file, reference.url, 3, "ref");
    const mergedJson = join(temp.dir, "merged.json");
    const check = await runBuiltCli(checkArgs(file, histories, { target: reference.url, json: mergedJson }));
    expect(check.code, check.stdout + check.stderr).toBe(0);

    const a = readJsonReport(singleJson);
    const b = readJsonReport(mergedJson);
    expect(b.verdict).toBe(a.verdict);
    expect(statuses(b)).toEqual(statuses(a));
    // The model's counts, as check computed them for the merged run and the single process alike.
    expect(b.cases.reserve?.model).toEqual(a.cases.reserve?.model);
    expect(b.cases.reserve?.observed).toEqual(b.cases.reserve?.model);
    expect(b.notes.join(" ")).toMatch(/Clock skew bound ±\d+ ms \(largest recorded clock uncertainty/);
  }, 180_000);

  it("catches an oversell-prone server from merged shards", async () => {
    const shop = await startBrokenShop({ faults: { oversell: true }, stockApi: "own" });
    try {
      await fetch(`${shop.url}/dev/stock`, {
        method: "PUT",
        body: JSON.stringify({ items: [{ productStockId: 800001, quantity: 100 }] }),
      });
      const file = join(temp.dir, "declared.yaml");
      const histories = await runShards(file, shop.url, 3, "shop");
      const json = join(temp.dir, "shop.json");
      const check = await runBuiltCli(checkArgs(file, histories, { snapshot: devSnapshot(shop.url), json }));
      expect(check.code, check.stdout + check.stderr).toBe(1);
      const report = readJsonReport(json);
      expect(statuses(report).oversell).toBe("fail");
    } finally {
      await shop.close();
    }
  }, 180_000);
});
