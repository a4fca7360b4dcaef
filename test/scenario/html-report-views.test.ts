import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareHtml } from "../../src/verify/report/run/compare-html.js";
import { htmlReport } from "../../src/verify/report/run/html.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { compareRuns } from "../../src/verify/scenario/compare.js";
import { formatLoadError, loadScenario } from "../../src/verify/scenario/load.js";
import { runScenario } from "../../src/verify/scenario/runner.js";
import type { Scenario } from "../../src/verify/scenario/types.js";
import { type BrokenShop, startBrokenShop } from "../helpers/broken-shop.js";
import { launchChromium } from "../helpers/browser.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

function scenario(name: string): Scenario {
  const loaded = loadScenario(name);
  if (!loaded.ok) throw new Error(formatLoadError(loaded.error));
  return loaded.value;
}

async function judged(target: string, name: string, options: { phase?: string; speed?: number } = {}) {
  const result = await runScenario(scenario(name), { target, speed: options.speed ?? 200, ...options });
  return { result, verdict: checkRun(result) };
}

/** Where the pages and their screenshots go: a temporary folder, or STOCKPROOF_KEEP_SCREENSHOTS to look at them. */
const keep = process.env.STOCKPROOF_KEEP_SCREENSHOTS;

describe("the HTML report, as load-test reports draw a run", () => {
  let reference: RunningReference;
  let shop: BrokenShop;
  let browser: Browser;
  const temp = tempDir("stockproof-report-views-");
  const dir = keep ?? temp.dir;
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    reference = await startReference();
    shop = await startBrokenShop({ faults: { oversell: true, roundTripMs: 2 }, stockApi: "test-control" });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.close();
    await reference?.close();
    temp.remove();
  });

  async function open(name: string, html: string): Promise<Page> {
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    const file = join(dir, `${name}.html`);
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
    expect(errors).toEqual([]);
    return page;
  }

  /** The section after the heading with this text, up to the next heading of that level. */
  const after = (page: Page, heading: string) => page.locator(`h2:text-is("${heading}") ~ *`).first();

  it("throughput and latency percentiles over time, per-case p50/p90/p99/max, and an error table with counts and shares", async () => {
    const run = await judged(reference.url, "seed-3-2", { speed: 300 });
    const page = await open("run-seed-3-2", htmlReport(run.result, run.verdict));
    try {
      // Throughput: one stacked bar per time bucket, answers per second.
      const throughput = page.locator('svg[aria-label="Throughput over time"]');
      expect(await throughput.locator("rect").count()).toBeGreaterThan(5);
      // Percentiles: a line each for p50, p90, p99 and max, each with a point per time bucket.
      const percentiles = page.locator('svg[aria-label="Latency percentiles over time"]');
      for (const p of ["p50", "p90", "p99", "p100"]) {
        const points = (await percentiles.locator(`polyline.${p}`).getAttribute("points")) ?? "";
        expect(points.split(" ").length, p).toBeGreaterThan(5);
      }
      // The per-case table has the terminal's percentiles.
      const head = await page
        .locator('h2:text-is("Cases: model vs observed") + table tr')
        .first()
        .locator("th")
        .allTextContents();
      expect(head.join(" ")).toContain("p50 ms p90 ms p99 ms max ms");
      // seed-3-2's 2000 requests: the refusals listed with their count and share of all requests.
      const errors = await page.locator("table.errors tr").nth(1).locator("td").allTextContents();
      const refused = run.verdict.cases.reduce((n, c) => n + c.classes.rejected, 0);
      expect(refused).toBeGreaterThan(0);
      expect(errors).toEqual([
        "409",
        "OUT_OF_STOCK",
        "rejected",
        String(refused),
        `${((refused / 2000) * 100).toFixed(1)} %`,
      ]);
      // 500 rounds in bars of whole rounds: the page says how many a bar groups.
      expect(await page.locator("text=Each bar groups 3 rounds (500 rounds in 167 bars).").count()).toBe(1);
      expect(await after(page, "Throughput over time").count()).toBe(1);
    } finally {
      await page.close();
    }
  });

  it("an oversell is drawn below zero: available as the answers imply, the units taken, the model's final stock", async () => {
    const run = await judged(shop.url, "seed-3-1", { phase: "100 simultaneous" });
    expect(run.verdict.verdict).toBe("fail");
    const page = await open("run-oversold", htmlReport(run.result, run.verdict));
    try {
      const stock = page.locator('svg[aria-label="Stock over time"]');
      expect(await stock.locator("rect.below-zero").count()).toBe(1);
      const zero = Number(await stock.locator("rect.below-zero").getAttribute("y"));
      const lowest = ((await stock.locator("polyline.available").getAttribute("points")) ?? "")
        .split(" ")
        .map((p) => Number(p.split(",")[1]));
      // SVG y grows downwards: a point under the zero line is stock below 0.
      expect(Math.max(...lowest)).toBeGreaterThan(zero);
      expect(await stock.locator("polyline.taken").count()).toBe(1);
      expect(await stock.locator("line.model").count()).toBe(1);
      expect(await page.locator("p.oversold").textContent()).toContain("Below 0");
    } finally {
      await page.close();
    }
  });

  it("compare's page holds both sides: the table, then the target's report and the reference's", async () => {
    const target = await judged(shop.url, "races");
    const ref = await judged(reference.url, "races");
    const page = await open("compare", compareHtml(ref, target, compareRuns(ref, target)));
    try {
      expect(await page.locator("table.side-by-side tr").count()).toBeGreaterThan(3);
      for (const side of ["target", "reference"]) {
        const section = page.locator(`section#${side}`);
        expect(await section.locator('svg[aria-label="Throughput over time"]').count(), side).toBe(1);
        expect(await section.locator("table.errors, p:has-text('every one of the')").count(), side).toBeGreaterThan(0);
      }
      expect(await page.locator("section#reference .verdict").first().textContent()).toBe("PASS");
      expect(await page.locator("section#target .verdict").first().textContent()).toBe("FAIL");
    } finally {
      await page.close();
    }
  });
});
