import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { htmlReport } from "../../src/verify/report/run/html.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { formatLoadError, loadScenario } from "../../src/verify/scenario/load.js";
import { runScenario } from "../../src/verify/scenario/runner.js";
import { startBrokenShop } from "../helpers/broken-shop.js";
import { launchChromium } from "../helpers/browser.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

async function reportFor(target: string, name: string): Promise<string> {
  const loaded = loadScenario(name);
  if (!loaded.ok) throw new Error(formatLoadError(loaded.error));
  const result = await runScenario(loaded.value, { target, speed: 200 });
  return htmlReport(result, checkRun(result));
}

describe("the HTML report renders in headless Chromium", () => {
  let reference: RunningReference;
  const temp = tempDir("stockproof-html-");
  beforeAll(async () => {
    reference = await startReference();
  });
  afterAll(async () => {
    await reference.close();
    temp.remove();
  });

  test("a passing and a failing report render their charts and tables with no request for outside assets", async () => {
    const server = await startBrokenShop({ faults: { doubleRestore: true }, stockApi: "test-control" });
    const pages = {
      pass: await reportFor(reference.url, "seed-3-2"),
      fail: await reportFor(server.url, "races").finally(() => server.close()),
    };
    const browser = await launchChromium();
    try {
      for (const [verdict, html] of Object.entries(pages)) {
        expect(html).not.toMatch(/<script|<link|src="http|href="http/);
        const file = join(temp.dir, `${verdict}.html`);
        writeFileSync(file, html);
        const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
        const errors: string[] = [];
        const outside: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        page.on("console", (m) => {
          if (m.type() === "error") errors.push(m.text());
        });
        page.on("request", (r) => {
          if (!r.url().startsWith("file:")) outside.push(r.url());
        });
        await page.goto(`file://${file}`);
        expect(await page.locator("#verdict").textContent()).toBe(verdict.toUpperCase());
        const charts = page.locator("svg");
        expect(await charts.count()).toBeGreaterThanOrEqual(4);
        for (const chart of await charts.all()) {
          const box = await chart.boundingBox();
          expect(box?.width).toBeGreaterThan(300);
          expect(box?.height).toBeGreaterThan(100);
        }
        // Something is drawn in each: points, bars or lines.
        expect(await page.locator("svg circle").count()).toBeGreaterThan(0);
        expect(await page.locator("svg rect").count()).toBeGreaterThan(0);
        expect(await page.locator("svg polyline").count()).toBeGreaterThan(0);
        const highlighted = await page.locator("tr.violation").count();
        if (verdict === "fail") expect(highlighted).toBeGreaterThan(0);
        else expect(highlighted).toBe(0);
        await page.screenshot({ path: join(temp.dir, `${verdict}.png`), fullPage: true });
        if (process.env.STOCKPROOF_KEEP_SCREENSHOTS) {
          await page.screenshot({
            path: join(process.env.STOCKPROOF_KEEP_SCREENSHOTS, `${verdict}.png`),
            fullPage: true,
          });
        }
        expect(errors).toEqual([]);
        expect(outside).toEqual([]);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  });
});
