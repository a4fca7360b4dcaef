import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { checkArgs } from "../helpers/fixtures.js";
import { readJsonReport } from "../helpers/json-report.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

const temp = tempDir("stockproof-phases-");
let reference: RunningReference;

beforeAll(async () => {
  ensureBuilt();
  reference = await startReference();
}, 180_000);

afterAll(async () => {
  await reference?.close();
  temp.remove();
});

describe("a history of several phases, judged again by check", () => {
  it("observes every phase's final stock as the run did (only the last one's used to count)", async () => {
    const history = join(temp.dir, "seed.jsonl");
    const runJson = join(temp.dir, "run.json");
    const checkJson = join(temp.dir, "check.json");
    const ran = await runBuiltCli([
      "run",
      "seed-3-1",
      "--target",
      reference.url,
      "--history",
      history,
      "--json",
      runJson,
    ]);
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    const checked = await runBuiltCli(checkArgs("seed-3-1", history, { json: checkJson }));
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    const run = readJsonReport(runJson);
    const check = readJsonReport(checkJson);
    expect(run.phases.length).toBeGreaterThan(1);
    const observed = (rows: typeof run.finalStock) => rows.map((r) => [r.phase, r.sku, r.observed]);
    expect(observed(check.finalStock).every(([, , value]) => value !== null)).toBe(true);
    expect(observed(check.finalStock)).toEqual(observed(run.finalStock));
  }, 120_000);
});
