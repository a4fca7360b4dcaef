import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { demoCatalog } from "../../src/backend/generated/demo-catalog.js";
import { buildExample, exampleDir, runExample, serveDirectory } from "./browser-example.js";

const sku = 311191;

describe("the browser example (MSW service worker and the typed client in headless Chromium)", () => {
  const dir = mkdtempSync(join(tmpdir(), "stockproof-browser-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reserves until sold out, names the SKU, and gets the stock back after cancelling", async () => {
    const site = join(dir, "site");
    await buildExample({
      entry: join(exampleDir, "main.ts"),
      workerScript: fileURLToPath(import.meta.resolve("msw/mockServiceWorker.js")),
      outDir: site,
    });
    const served = await serveDirectory(site);
    try {
      const { consoleErrors, ...shown } = await runExample(served.url, join(dir, "profile"));
      expect(shown.status, consoleErrors.join("\n")).toBe("Done.");
      const stock = demoCatalog.products.find((p) => p.productStockId === sku)?.stock;
      expect(stock).toBeGreaterThan(0);
      expect(shown).toEqual({
        status: "Done.",
        availableBefore: String(stock),
        reserved: String(stock),
        refusal: expect.stringContaining(`Sold out: SKU ${sku}`),
        availableSoldOut: "0",
        availableAfterCancel: String(stock),
        // The worker answered the API: the static server has no /api and would have said 404.
        controlledByWorker: true,
      });
    } finally {
      await served.close();
    }
  });
});
