import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jmeterProperties } from "../src/verify/export/jmeter.js";
import { formatLoadError, loadScenario } from "../src/verify/scenario/load.js";
import { runModel } from "../src/verify/scenario/model.js";
import { planRun } from "../src/verify/scenario/plan.js";
import { startBrokenShop } from "../test/helpers/broken-shop.js";
import { ensureBuilt, runBuiltCli } from "../test/helpers/built-cli.js";
import { readJsonReport, statuses } from "../test/helpers/json-report.js";
import { type SpawnedReference, spawnReference, tempDir } from "../test/helpers/reference.js";

/**
 * The exported JMeter plan run for real by Debian's JMeter 2.13 (`npm run test:jmeter`, after
 * `apt-get install jmeter jmeter-http default-jdk-headless`; .ci/run does both), its JTL judged by
 * `stockproof check`. Not part of `npm test`: it needs JMeter and a JDK, which npm cannot install.
 */

const root = fileURLToPath(new URL("../", import.meta.url));
const launcherSource = join(root, "examples/jmeter/JMeterLauncher.java");
const jmeterHome = process.env.JMETER_HOME ?? "/usr/share/jmeter";
const temp = tempDir("stockproof-jmeter-");
let reference: SpawnedReference;

/** Fails the suite, not skips it: it runs only where JMeter was installed for it. */
function requireJMeter(): void {
  const missing: string[] = [];
  try {
    execFileSync("sh", ["-c", "command -v jmeter"], { stdio: "pipe" });
  } catch {
    missing.push("`jmeter` is not on PATH");
  }
  if (!existsSync(join(jmeterHome, "bin/ApacheJMeter.jar")))
    missing.push(`${jmeterHome}/bin/ApacheJMeter.jar is missing (set JMETER_HOME)`);
  try {
    execFileSync("javac", ["-version"], { stdio: "pipe" });
  } catch {
    missing.push("`javac` is not on PATH (the launcher runs from source, which needs a JDK)");
  }
  if (missing.length > 0)
    throw new Error(
      `This suite runs the exported plan with real JMeter: ${missing.join("; ")}. Install them with ` +
        "`apt-get install -y --no-install-recommends jmeter jmeter-http default-jdk-headless`.",
    );
}

interface Exit {
  readonly code: number | null;
  readonly output: string;
}

/** A child process bounded at 3 minutes (a stuck barrier would otherwise hang the suite). */
function run(command: string, args: readonly string[]): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: temp.dir, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** `jmeter -n` through the launcher as README gives it (run from source), with the properties `stockproof export` prints. */
async function runPlan(plan: string, target: string, tag: string): Promise<string> {
  const { hostname, port } = new URL(target);
  const jtl = join(temp.dir, `${tag}.jtl`);
  const jmeter = await run("java", [
    "-cp",
    `${jmeterHome}/bin/ApacheJMeter.jar`,
    launcherSource,
    "-n",
    "-t",
    plan,
    "-l",
    jtl,
    "-j",
    join(temp.dir, `${tag}.log`),
    `-Jhost=${hostname}`,
    `-Jport=${port}`,
    ...jmeterProperties,
  ]);
  expect(jmeter.code, jmeter.output).toBe(0);
  expect(jmeter.output).toContain("... end of run");
  return jtl;
}

async function exportPlan(scenario: string, tag: string): Promise<string> {
  const plan = join(temp.dir, `${tag}.jmx`);
  const exported = await runBuiltCli(["export", "jmeter", scenario, "--out", plan]);
  expect(exported.code, exported.stderr).toBe(0);
  return plan;
}

async function check(scenario: string, jtl: string, target: string, tag: string) {
  const json = join(temp.dir, `${tag}.json`);
  const checked = await runBuiltCli(["check", scenario, "--history", jtl, "--target", target, "--json", json]);
  expect(existsSync(json), `check wrote no report (exit ${checked.code}):\n${checked.stdout}${checked.stderr}`).toBe(
    true,
  );
  return { ...checked, report: readJsonReport(json) };
}

/** The model's outcome counts for a case of the scenario (built-in name or file), as check computes them. */
function modelCounts(nameOrPath: string, caseName: string): Readonly<Record<string, number>> {
  const loaded = loadScenario(nameOrPath);
  if (!loaded.ok) throw new Error(formatLoadError(loaded.error));
  return runModel(loaded.value, planRun(loaded.value, "model")).counts[caseName] ?? {};
}

beforeAll(async () => {
  requireJMeter();
  ensureBuilt();
  reference = await spawnReference(["--db", join(temp.dir, "reference.db"), "--fresh"]);
}, 180_000);

afterAll(async () => {
  await reference?.stop();
  temp.remove();
});

describe("the exported JMeter plan, run by Debian's JMeter 2.13", () => {
  it("cannot be loaded by the packaged `jmeter` alone: XStream 1.4.18+ refuses JMeter's own classes (why the launcher exists)", async () => {
    const plan = await exportPlan("contention", "plain");
    const jmeter = await run("jmeter", [
      "-n",
      "-t",
      plan,
      "-l",
      join(temp.dir, "plain.jtl"),
      "-j",
      join(temp.dir, "plain.log"),
    ]);
    expect(jmeter.output).toContain("ForbiddenClassException: org.apache.jmeter.save.ScriptWrapper");
    expect(existsSync(join(temp.dir, "plain.jtl"))).toBe(false);
  }, 60_000);

  it("contention against the reference: 1000 simultaneous reservations, all held, judged PASS from the JTL", async () => {
    const plan = await exportPlan("contention", "contention");
    const jtl = await runPlan(plan, reference.url, "contention");
    const checked = await check("contention", jtl, reference.url, "contention");
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(checked.report.verdict).toBe("pass");
    const model = modelCounts("contention", "reserve");
    expect(model.ok).toBeGreaterThan(0);
    expect(checked.report.cases.reserve?.model).toEqual(model);
    expect(checked.report.cases.reserve?.observed).toEqual(model);
    expect(statuses(checked.report)).toMatchObject({
      counts: "pass",
      oversell: "pass",
      conservation: "pass",
      "final-stock": "pass",
    });
  }, 240_000);

  it("crossed-carts against the reference: two users, each logged in once in set-up, judged PASS from the JTL", async () => {
    const plan = await exportPlan("crossed-carts", "crossed");
    const jtl = await runPlan(plan, reference.url, "crossed");
    // The second user's token reached the burst's threads: its requests were answered, not refused 401.
    const rows = readFileSync(jtl, "utf8").split("\n");
    const asOther = rows.filter((r) => r.includes("other@example.com") && r.includes(",sp:"));
    expect(asOther.length).toBeGreaterThan(0);
    expect(asOther.filter((r) => r.includes("INVALID_TOKEN"))).toEqual([]);
    const checked = await check("crossed-carts", jtl, reference.url, "crossed");
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(checked.report.verdict).toBe("pass");
  }, 240_000);

  it("an oversell-prone server is caught from the JTL: 150 simultaneous reserve→pay on 100 units", async () => {
    // A 100 ms read-to-write gap: JMeter's barrier releases its threads over a few hundred ms (seconds
    // on a busy machine), not at once; the gap must be wide enough for them to overlap anyway.
    const shop = await startBrokenShop({ faults: { oversell: true, roundTripMs: 100 }, stockApi: "test-control" });
    try {
      const scenario = join(temp.dir, "shortage.yaml");
      writeFileSync(
        scenario,
        `name: shortage
given:
  skus: [{ productStockId: 800001, productId: 800001, productName: A, color: NONE, size: FREE, salePrice: 1000, stock: 100 }]
  stock: admin
  users: [{ name: buyer, username: buyer@example.com, password: buyer-password, userId: 144602 }]
  client: { id: clientapp, secret: secret }
  traffic: { shape: burst, rounds: 150 }
  limits: { requestTimeout: 20s, runTimeout: 1m }
when:
  - { name: reserve, reserve: [{ sku: 800001, count: 1 }] }
  - { name: pay, pay: reserve }
then:
  counts: model
  finalStock: model
`,
      );
      const plan = await exportPlan(scenario, "shortage");
      const jtl = await runPlan(plan, shop.url, "shortage");
      const checked = await check(scenario, jtl, shop.url, "shortage");
      expect(checked.code, checked.stdout + checked.stderr).toBe(1);
      expect(statuses(checked.report).oversell).toBe("fail");
      // The JTL itself shows it: more reservations accepted than the 100 units the model allows.
      const model = modelCounts(scenario, "reserve");
      expect(model.OUT_OF_STOCK).toBeGreaterThan(0);
      expect(checked.report.cases.reserve?.model).toEqual(model);
      expect(checked.report.cases.reserve?.observed.ok ?? 0).toBeGreaterThan(model.ok ?? 0);
      expect(checked.stdout).toMatch(/oversell/i);
    } finally {
      await shop.close();
    }
  }, 240_000);
});
