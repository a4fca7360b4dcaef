import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { devReset, devSnapshot } from "../audit/support.js";
import { type BrokenShop, startBrokenShop } from "../helpers/broken-shop.js";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { tempDir } from "../helpers/reference.js";

/** The races scenario as a team's dev server runs it: stock declared (no test-control API). */
const declared = `name: my-races
given:
  skus: [{ productStockId: 800001, productId: 800001, productName: A, color: NONE, size: FREE, salePrice: 1000, stock: 800 }]
  stock: declared
  users: [{ name: buyer, username: buyer@example.com, password: buyer-password, userId: 144602 }]
  traffic: { shape: burst, rounds: 20 }
when:
  - { name: reserve, reserve: [{ sku: 800001, count: 1 }] }
  - { name: pay, pay: reserve }
`;

/** A correct dev server with its own words: sold out is 409 SOLD_OUT, an unknown order 404 NOT_FOUND. */
const ownWords = {
  outOfStock: { status: 409, code: "SOLD_OUT" },
  notFound: { status: 404, code: "NOT_FOUND" },
} as const;

async function setStock(url: string, quantity: number): Promise<void> {
  const response = await fetch(`${url}/dev/stock`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ items: [{ productStockId: 800001, quantity }] }),
  });
  expect(response.ok).toBe(true);
}

describe("a dev server whose stock was left at 0 (--setup forgotten)", () => {
  const temp = tempDir("stockproof-setup-");
  const scenario = join(temp.dir, "my-races.yaml");
  let shop: BrokenShop;
  beforeAll(() => {
    ensureBuilt();
    writeFileSync(scenario, declared);
  });
  afterEach(async () => {
    await shop?.close();
  });
  afterAll(() => temp.remove());

  const start = async (stock: number) => {
    shop = await startBrokenShop({ codes: ownWords });
    await setStock(shop.url, stock);
    return shop.url;
  };

  it("run: every reservation refused is named as stock not set, not as a missing route (exit 3)", async () => {
    const url = await start(0);
    const run = await runBuiltCli(["run", scenario, "--target", url, "--no-admin", "--no-progress"]);
    expect(run.stdout).toMatch(
      /NOT JUDGED: the target does not match the scenario\n\s+every reservation was refused \(409 SOLD_OUT ×20\), though the scenario's given stock \(SKU 800001: 800\) lets the first one through\n\s+fix: is the stock set\? Pass --setup CMD/,
    );
    expect(run.stdout).not.toMatch(/no such route|is --target the API's base URL/);
    expect(run.code).toBe(3);
  });

  it("run --snapshot: stock read before the phase that is not the declared one is NOT JUDGED naming both figures and --setup; nothing is sent", async () => {
    const url = await start(0);
    const json = join(temp.dir, "snapshot.json");
    const run = await runBuiltCli([
      "run",
      scenario,
      "--target",
      url,
      "--no-admin",
      "--no-progress",
      "--snapshot",
      devSnapshot(url),
      "--json",
      json,
    ]);
    expect(run.stdout).toMatch(
      /NOT JUDGED: before phase "main" --snapshot reads SKU 800001: 0, but the scenario declares SKU 800001: 800 — is the stock set\? Pass --setup CMD/,
    );
    expect(run.stdout).toMatch(/^0 requests/m);
    expect(run.code).toBe(3);
  });

  it("run --setup --snapshot: the stock is set before the phase and read after it; a correct server passes", async () => {
    const url = await start(0);
    const json = join(temp.dir, "set.json");
    const run = await runBuiltCli([
      "run",
      scenario,
      "--target",
      url,
      "--no-admin",
      "--no-progress",
      "--setup",
      devReset(url),
      "--snapshot",
      devSnapshot(url),
      "--json",
      json,
    ]);
    expect(run.stdout).toMatch(/^PASS$/m);
    const report = JSON.parse(readFileSync(json, "utf8")) as {
      finalStock: { sku: number; observed: number | null; model: number }[];
    };
    // 20 reserved and paid of 800: the final stock was read by --snapshot and is the model's.
    expect(report.finalStock).toEqual([expect.objectContaining({ sku: 800001, observed: 780, model: 780 })]);
    expect(run.code).toBe(0);
  });

  it("compare --setup --snapshot: the commands are the target's; the reference sets its own stock", async () => {
    const url = await start(0);
    const run = await runBuiltCli([
      "compare",
      scenario,
      "--target",
      url,
      "--no-admin",
      "--no-progress",
      "--setup",
      devReset(url),
      "--snapshot",
      devSnapshot(url),
    ]);
    expect(run.stdout).toMatch(/final stock/i);
    // Only the invariant, which available units alone cannot show, is left unjudged.
    const unjudged = run.stdout.split("\n").filter((l) => l.includes("NOT JUDGED"));
    expect(unjudged.every((l) => l.startsWith("NOT JUDGED  Snapshot invariant:"))).toBe(true);
    expect(run.code).toBe(0);
  });

  it("audit --snapshot without --setup on stock left at 0: NOT JUDGED naming both figures, not a FAIL (exit 3)", async () => {
    const url = await start(0);
    const run = await runBuiltCli([
      "audit",
      "--target",
      url,
      "--no-admin",
      "--snapshot",
      devSnapshot(url),
      "--scenarios",
      "races",
      "--no-progress",
    ]);
    expect(run.stderr).toMatch(
      /NOT JUDGED: races: before phase "main" --snapshot reads SKU 800001: 0, but the scenario declares SKU 800001: 800 — is the stock set\? Pass --setup CMD/,
    );
    expect(run.stdout).not.toMatch(/Verdict: FAIL/);
    expect(run.code).toBe(3);
  });
});
