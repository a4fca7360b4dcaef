import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expiringShop } from "../audit/servers/expiring-shop.js";
import { devSnapshot } from "../audit/support.js";
import { startBrokenShop } from "../helpers/broken-shop.js";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { checkArgs, scenarioYaml } from "../helpers/fixtures.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

// Holds taken and left alone: a correct server releases them after the TTL, so the stock `check`
// reads afterwards is the initial stock again.
const holds = scenarioYaml({
  name: "holds",
  stock: 5,
  stockSource: "admin",
  client: true,
  traffic: "{ shape: sequential, rounds: 3 }",
  model: true,
});

const temp = tempDir("stockproof-expiry-check-");
const scenario = join(temp.dir, "holds.yaml");
// For a shop with its own stock endpoint: the stock is set before the run and declared as given.
const declared = join(temp.dir, "holds-declared.yaml");
let reference: RunningReference;

beforeAll(async () => {
  ensureBuilt();
  writeFileSync(scenario, holds);
  writeFileSync(declared, holds.replace("stock: admin", "stock: declared"));
  reference = await startReference({ rules: { holdTtlMs: 1_000 } });
}, 180_000);

afterAll(async () => {
  await reference?.close();
  temp.remove();
});

/** Runs the scenario with its history recorded, then judges the history with `check`. */
async function recordThenCheck(target: string, tag: string, stockFlags: readonly string[], file = scenario) {
  const history = join(temp.dir, `${tag}.jsonl`);
  const ran = await runBuiltCli(["run", file, "--target", target, "--hold-ttl", "1s", "--history", history]);
  const checked = await runBuiltCli([...checkArgs(file, history, { holdTtl: "1s" }), ...stockFlags]);
  return { ran, checked };
}

describe("check on a history whose holds expire (TTL declared)", () => {
  it("a correct server that released the holds passes, with the stock read from the target", async () => {
    const { ran, checked } = await recordThenCheck(reference.url, "reference", ["--target", reference.url]);
    expect(ran.code, ran.stdout).toBe(0);
    // It used to judge the holds as still out at the end of the traffic, and the released stock a lost update.
    expect(checked.stdout).not.toContain("[conservation]");
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
  }, 120_000);

  it("the same from the history alone: the runner's own final snapshot came after every window closed", async () => {
    const { checked } = await recordThenCheck(reference.url, "reference-own", []);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/PASS\s+Conservation per SKU/);
    // The history keeps the TTL its run was told: without --hold-ttl check judges with it...
    const history = join(temp.dir, "reference-own.jsonl");
    const untold = await runBuiltCli(checkArgs(scenario, history));
    expect(untold.code, untold.stdout + untold.stderr).toBe(0);
    expect(untold.stdout).toMatch(/PASS\s+Hold expiry \(TTL 1s/);
    // ...and another TTL is refused rather than judged (it called correct releases "released early").
    const other = await runBuiltCli(checkArgs(scenario, history, { holdTtl: "10s" }));
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("The run was told --hold-ttl 1s");
  }, 120_000);

  it("a server whose holds never expire is still caught", async () => {
    const shop = await startBrokenShop({
      ledger: expiringShop({ fault: "never-sweeps", ttlMs: 1_000 }),
      stockApi: "own",
    });
    try {
      const set = await fetch(`${shop.url}/dev/stock`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ items: [{ productStockId: 800001, quantity: 5 }] }),
      });
      expect(set.status).toBe(200);
      const snapshot = ["--snapshot", devSnapshot(shop.url)];
      const { ran, checked } = await recordThenCheck(shop.url, "never-sweeps", snapshot, declared);
      expect(ran.stdout + ran.stderr).toContain("wrote history");
      expect(checked.code, checked.stdout + checked.stderr).toBe(1);
      expect(checked.stdout).toMatch(/never released/i);
    } finally {
      await shop.close();
    }
  }, 120_000);
});
