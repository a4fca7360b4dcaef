// Web pages attacking `stockproof serve` from a real browser (headless Chromium): a page on another
// loopback port calling the test-control API, and a DNS-rebinding page — a name of the attacker's
// that resolves to 127.0.0.1 (Chromium's host-resolver rules stand in for the attacker's DNS).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/api.js";
import { chromiumArgs, findChromium } from "../helpers/browser.js";
import { ensureBuilt } from "../helpers/built-cli.js";
import { buyer, type SpawnedReference, spawnReference, tempDir } from "../helpers/reference.js";

function servePage(): Promise<{ server: Server; port: number }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>some page</title>");
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port })),
  );
}

/** Runs in the page: the test-control API's reset with the public demo key; the status, or why it failed. */
async function resetFromPage(url: string): Promise<{ status?: number; code?: string; failure?: string }> {
  try {
    const response = await fetch(url, { method: "POST", headers: { "x-admin-key": "stockproof-admin" } });
    const body = (await response.json()) as { code?: string };
    return body.code === undefined ? { status: response.status } : { status: response.status, code: body.code };
  } catch (error) {
    return { failure: String(error) };
  }
}

/** Runs in the page: the demo login, as a page that wants the buyer's orders would. */
async function loginFromPage(url: string): Promise<number | string> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=password&username=buyer%40example.com&password=buyer-password&client_id=clientapp&client_secret=secret",
    });
    return response.status;
  } catch (error) {
    return String(error);
  }
}

const orderIds = async (base: string) =>
  ((await api(base).snapshot()).body.orders as { paymentOrderId: string }[]).map((o) => o.paymentOrderId);

describe("web pages in a browser against `stockproof serve`", () => {
  const temp = tempDir("stockproof-page-attacks-");
  let page: { server: Server; port: number };
  let byDefault: SpawnedReference;
  let listed: SpawnedReference;
  let browser: Browser;

  beforeAll(async () => {
    ensureBuilt();
    page = await servePage();
    [byDefault, listed] = await Promise.all([
      spawnReference(["--db", `${temp.dir}/default.db`]),
      spawnReference(["--db", `${temp.dir}/listed.db`, "--cors", `http://localhost:${page.port},loopback`]),
    ]);
    const found = await findChromium();
    browser = await chromium.launch({
      executablePath: found.executablePath,
      headless: true,
      args: [...chromiumArgs, "--host-resolver-rules=MAP evil.example 127.0.0.1"],
      env: { ...process.env, ...found.env } as Record<string, string>,
    });
    const client = api(byDefault.url);
    const token = await client.login(buyer);
    expect((await client.reserve(token, "kept-order", [{ productStockId: 311191, orderCount: 1 }])).status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (page ? page.server.close(resolve) : resolve(undefined)));
    await Promise.all([byDefault?.stop(), listed?.stop()]);
    temp.remove();
  });

  it("a page on another loopback port cannot reset the store; a page whose origin is listed with --cors can", async () => {
    const tab = await browser.newPage();
    await tab.goto(`http://localhost:${page.port}/`);
    const refused = await tab.evaluate(resetFromPage, `${byDefault.url}/__admin/reset`);
    expect(refused.failure).toMatch(/Failed to fetch/);
    expect(await orderIds(byDefault.url)).toEqual(["kept-order"]);
    // The public API stays open to it, as the default CORS for loopback promises.
    expect(await tab.evaluate(loginFromPage, `${byDefault.url}/oauth/token`)).toBe(200);

    expect(await tab.evaluate(resetFromPage, `${listed.url}/__admin/reset`)).toEqual({ status: 200 });
    await tab.close();
  });

  it("a DNS-rebinding page (evil.example resolving to 127.0.0.1) is answered 421 for every request", async () => {
    const tab = await browser.newPage();
    const port = new URL(byDefault.url).port;
    const landing = await tab.goto(`http://evil.example:${port}/`);
    expect(landing?.status()).toBe(421);
    // Same origin for the browser: nothing stops the page but the server's Host check.
    expect(await tab.evaluate(resetFromPage, "/__admin/reset")).toEqual({ status: 421, code: "HOST_NOT_ALLOWED" });
    expect(await tab.evaluate(loginFromPage, "/oauth/token")).toBe(421);
    expect(await orderIds(byDefault.url)).toEqual(["kept-order"]);
    await tab.close();
  });
});
