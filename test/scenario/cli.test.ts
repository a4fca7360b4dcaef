import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadScenario } from "../../src/verify/scenario/load.js";
import { runModel } from "../../src/verify/scenario/model.js";
import { planRun } from "../../src/verify/scenario/plan.js";
import { type BrokenShop, startBrokenShop } from "../helpers/broken-shop.js";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

describe("stockproof run and compare", () => {
  let reference: RunningReference;
  let faulty: BrokenShop;
  const temp = tempDir("stockproof-cli-");
  beforeAll(async () => {
    ensureBuilt();
    reference = await startReference();
    faulty = await startBrokenShop({ faults: { doubleRestore: true }, stockApi: "test-control" });
  });
  afterAll(async () => {
    await reference.close();
    await faulty.close();
    temp.remove();
  });

  test("run against the reference exits 0 and writes JSON, JUnit and HTML", async () => {
    const [json, junit, html] = ["r.json", "r.xml", "r.html"].map((f) => join(temp.dir, f)) as [string, string, string];
    const run = await runBuiltCli([
      "run",
      "races",
      "--target",
      reference.url,
      "--json",
      json,
      "--junit",
      junit,
      "--html",
      html,
    ]);
    expect(run.stdout).toMatch(/\nPASS\n/);
    expect(run.code).toBe(0);
    // Piped: plain text, no colour codes, no progress bar.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is looked for
    expect(run.stdout + run.stderr).not.toMatch(/\u001b\[/);
    const report = JSON.parse(readFileSync(json, "utf8")) as {
      verdict: string;
      cases: Record<string, { observed: Record<string, number>; model: Record<string, number> }>;
      timeline: unknown[];
    };
    expect(report.verdict).toBe("pass");
    expect(report.cases["reserve-to-cancel"]?.observed).toEqual(report.cases["reserve-to-cancel"]?.model);
    expect(report.timeline.length).toBe(400);
    expect(readFileSync(junit, "utf8")).toMatch(/<testsuite name="stockproof\.races" tests="\d+" failures="0"/);
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>/);
  });

  test("run against a server that restores twice exits 1 and names the violation", async () => {
    const junit = join(temp.dir, "f.xml");
    const run = await runBuiltCli(["run", "races", "--target", faulty.url, "--junit", junit]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/\[double-restore\] SKU 800001 has \d+ units more than conservation allows/);
    expect(readFileSync(junit, "utf8")).toMatch(/<failure message="1 violation" type="double-restore">/);
  });

  test("the binary keeps the conventions end to end: --version, a mistyped flag exits 2", async () => {
    const version = await runBuiltCli(["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
    const typo = await runBuiltCli(["run", "races", "--target", reference.url, "--jsno", join(temp.dir, "x.json")]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("did you mean --json?");
  });

  test("a malformed scenario file exits 2 with the file, line and column", async () => {
    const file = join(temp.dir, "bad.yaml");
    writeFileSync(file, "name: bad\ngiven:\n  skus: []\n  users: []\nwhen: []\n");
    const run = await runBuiltCli(["run", file, "--target", reference.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:3:9 given.skus must NOT have fewer than 1 items`);
  });

  test("compare runs a fresh reference and the target side by side and shows where they differ", async () => {
    const run = await runBuiltCli(["compare", "races", "--target", faulty.url, "--no-progress"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Side by side: reference \(http:\/\/127\.0\.0\.1:\d+\) vs target/);
    expect(run.stdout).toMatch(/check double-restore\s+pass\s+fail\s+≠/);
    // The reference ends where the model does: in odd rounds the cancel racing the pay goes first.
    const races = loadScenario("races");
    if (!races.ok) throw new Error("races does not load");
    const modelFinal = runModel(races.value, planRun(races.value, "compare")).final[800001];
    expect(run.stdout).toMatch(new RegExp(`final stock 800001 \\(main\\)\\s+${modelFinal}\\s+\\d+\\s+≠`));
  });
});
