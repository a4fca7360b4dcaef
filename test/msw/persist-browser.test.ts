// The mock's persistence in a real page: Chromium reserves on one load, navigates away (a full-page
// navigation, as to the payment gateway), comes back on a new load and pays the order it left.
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { launchChromiumContext } from "../helpers/browser.js";
import { serveDirectory } from "./browser-example.js";

const pageDir = fileURLToPath(new URL("./persist-page/", import.meta.url));

describe("persist: { storage: sessionStorage } in Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "stockproof-persist-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reserves, navigates away and back, and pays the same order", async () => {
    const site = join(dir, "site");
    await build({
      entryPoints: [join(pageDir, "main.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      outfile: join(site, "app.js"),
      logLevel: "warning",
    });
    copyFileSync(join(pageDir, "index.html"), join(site, "index.html"));
    copyFileSync(fileURLToPath(import.meta.resolve("msw/mockServiceWorker.js")), join(site, "mockServiceWorker.js"));
    const served = await serveDirectory(site);
    const context = await launchChromiumContext(join(dir, "profile"));
    try {
      const page = await context.newPage();
      const status = async () => {
        await page.locator("#status[data-state='done']").waitFor({ timeout: 30_000 });
        return (await page.locator("#status").textContent())?.trim() ?? "";
      };
      await page.goto(`${served.url}?step=reserve`);
      const reserved = await status();
      expect(reserved).toMatch(/^RESERVED P_/);
      const order = reserved.slice("RESERVED ".length);

      await page.goto(`${served.url}gateway`); // another document: the page and its worker client are gone
      expect(await page.locator("body").textContent()).toContain("no /gateway");
      await page.goto(`${served.url}?step=pay`);
      expect(await status()).toBe(`PAID ${order} held=0 paid=1`);
    } finally {
      await context.close();
      await served.close();
    }
  });
});
