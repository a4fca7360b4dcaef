import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoCatalog } from "../../src/generated/demo-catalog.js";
import { launchChromiumContext } from "../helpers/browser.js";

const example = fileURLToPath(new URL("../../examples/browser/", import.meta.url));
const workerScript = fileURLToPath(import.meta.resolve("msw/mockServiceWorker.js"));
const sku = 311191;
const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript" };

/** Serves the built page from a directory on loopback; everything else (including /api) is a plain 404. */
function serveDirectory(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://x").pathname;
    const file = join(dir, path === "/" ? "index.html" : path.slice(1));
    if (!file.startsWith(dir) || path.includes("..") || !existsSync(file)) {
      response.writeHead(404, { "content-type": "text/plain" }).end(`no ${path}`);
      return;
    }
    response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    response.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    }),
  );
}

describe("the browser example (MSW service worker and the typed client in headless Chromium)", () => {
  const dir = mkdtempSync(join(tmpdir(), "stockproof-browser-"));
  let site: { server: Server; url: string };
  let context: BrowserContext;

  beforeAll(async () => {
    await build({
      entryPoints: [join(example, "main.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      outfile: join(dir, "app.js"),
      logLevel: "warning",
    });
    writeFileSync(join(dir, "index.html"), readFileSync(join(example, "index.html")));
    writeFileSync(join(dir, "mockServiceWorker.js"), readFileSync(workerScript));
    site = await serveDirectory(dir);
    // A profile of its own: the service worker registers there, and no other run shares it.
    context = await launchChromiumContext(join(dir, "profile"));
  });

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (site ? site.server.close(resolve) : resolve(undefined)));
    rmSync(dir, { recursive: true, force: true });
  });

  it("reserves until sold out, names the SKU, and gets the stock back after cancelling", async () => {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(site.url);
    const status = page.locator("#status:not([data-state='running'])");
    await status.waitFor({ timeout: 60_000 });
    const text = async (id: string) => (await page.locator(`#${id}`).textContent())?.trim();

    expect(await text("status"), consoleErrors.join("\n")).toBe("Done.");
    const stock = demoCatalog.products.find((p) => p.productStockId === sku)?.stock;
    expect(stock).toBeGreaterThan(0);
    expect(await text("available-before")).toBe(String(stock));
    expect(await text("reserved")).toBe(String(stock));
    expect(await text("refusal")).toContain(`Sold out: SKU ${sku}`);
    expect(await text("available-sold-out")).toBe("0");
    expect(await text("available-after-cancel")).toBe(String(stock));
    // The worker answered the API: the static server has no /api and would have said 404.
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  });
});
