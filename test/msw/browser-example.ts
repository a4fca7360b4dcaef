// Builds examples/browser/ into a directory, serves it on loopback and drives it in headless Chromium.
// Used by browser.test.ts (the repository's sources) and the msw matrix (an installed stockproof-mock).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { launchChromiumContext } from "../helpers/browser.js";

export const exampleDir = fileURLToPath(new URL("../../examples/browser/", import.meta.url));
const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript" };

export interface ExampleBuild {
  /** The example's entry, e.g. a copy whose imports name the installed package. */
  readonly entry: string;
  /** msw/mockServiceWorker.js of the msw version under test. */
  readonly workerScript: string;
  /** Where to write app.js, index.html and the worker script. */
  readonly outDir: string;
}

export async function buildExample({ entry, workerScript, outDir }: ExampleBuild): Promise<void> {
  await build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "browser",
    outfile: join(outDir, "app.js"),
    logLevel: "warning",
  });
  writeFileSync(join(outDir, "index.html"), readFileSync(join(exampleDir, "index.html")));
  writeFileSync(join(outDir, "mockServiceWorker.js"), readFileSync(workerScript));
}

/** Serves the built page from a directory on loopback; everything else (including /api) is a plain 404. */
export function serveDirectory(dir: string): Promise<{ server: Server; url: string; close(): Promise<void> }> {
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
      resolve({
        server,
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    }),
  );
}

export interface ExampleOutcome {
  readonly status: string | undefined;
  readonly availableBefore: string | undefined;
  readonly reserved: string | undefined;
  readonly refusal: string | undefined;
  readonly availableSoldOut: string | undefined;
  readonly availableAfterCancel: string | undefined;
  readonly controlledByWorker: boolean;
  readonly consoleErrors: string[];
}

/** Opens the served example in a fresh headless Chromium profile and reads what the page shows. */
export async function runExample(url: string, profileDir: string): Promise<ExampleOutcome> {
  const context = await launchChromiumContext(profileDir);
  try {
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.goto(url);
    await page.locator("#status:not([data-state='running'])").waitFor({ timeout: 60_000 });
    const text = async (id: string) => (await page.locator(`#${id}`).textContent())?.trim();
    return {
      status: await text("status"),
      availableBefore: await text("available-before"),
      reserved: await text("reserved"),
      refusal: await text("refusal"),
      availableSoldOut: await text("available-sold-out"),
      availableAfterCancel: await text("available-after-cancel"),
      controlledByWorker: await page.evaluate(() => navigator.serviceWorker.controller !== null),
      consoleErrors,
    };
  } finally {
    await context.close();
  }
}
