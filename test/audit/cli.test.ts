import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBrokenShop } from "../helpers/broken-shop.js";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { type SpawnedReference, spawnReference, tempDir } from "../helpers/reference.js";
import { devReset } from "./support.js";

describe("stockproof audit (the built CLI)", () => {
  let ref: SpawnedReference;
  const temp = tempDir("stockproof-audit-");
  beforeAll(async () => {
    ensureBuilt();
    ref = await spawnReference(["--db", join(temp.dir, "ref.db"), "--fresh"]);
  });
  afterAll(async () => {
    await ref.stop();
    temp.remove();
  });

  it("exits 0 on the reference and writes JSON, JUnit and HTML reports", async () => {
    const [json, junit, html] = ["a.json", "a.xml", "a.html"].map((f) => join(temp.dir, f)) as [string, string, string];
    const run = await runBuiltCli([
      "audit",
      "--target",
      ref.url,
      "--scale",
      "0.1",
      "--speed",
      "600",
      "--no-progress",
      "--json",
      json,
      "--junit",
      junit,
      "--html",
      html,
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Oversell\s+seed-3-1 \+4\s+PASS/m);
    expect(run.stdout).toMatch(/Verdict: PASS — 8 of 8 classes pass/);
    const report = JSON.parse(readFileSync(json, "utf8")) as { verdict: string; classes: { verdict: string }[] };
    expect(report.verdict).toBe("pass");
    expect(report.classes.map((c) => c.verdict)).toEqual(Array(8).fill("pass"));
    expect(readFileSync(junit, "utf8")).toMatch(/<testsuites name="stockproof audit" tests="9" failures="0"/);
    expect(readFileSync(html, "utf8")).toMatch(/<span class="badge pass">PASS<\/span>/);
  });

  it("exits 1 on a server that oversells, naming the class and the scenario", async () => {
    const shop = await startBrokenShop({ faults: { oversell: true }, stockApi: "own" });
    try {
      const run = await runBuiltCli([
        "audit",
        "--target",
        shop.url,
        "--scenarios",
        "seed-3-1",
        "--scale",
        "0.2",
        "--setup",
        devReset(shop.url),
        "--no-progress",
      ]);
      expect(run.code).toBe(1);
      // Which burst oversells first is a race: on a busy machine the 100 one may not, the 1000 one does.
      expect(run.stdout).toMatch(/^Oversell\s+seed-3-1\s+FAIL\s+seed-3-1\/1000? simultaneous: SKU 311191 oversold/m);
      expect(run.stdout).toMatch(/stock observed by: probe through the public API/);
    } finally {
      await shop.close();
    }
  });

  it("exits 2 with a message naming the option on bad input", async () => {
    const run = await runBuiltCli(["audit", "--target", "not a url"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--target must be a base URL/);
    const scale = await runBuiltCli(["audit", "--target", ref.url, "--scale", "-1"]);
    expect(scale.code).toBe(2);
    expect(scale.stderr).toMatch(/--scale must be a positive number/);
    const users = await runBuiltCli(["audit", "--target", ref.url, "--users", "nobody"]);
    expect(users.code).toBe(2);
    expect(users.stderr).toMatch(/--users entry "nobody" must be \[alias=\]username:password/);
  });
});
