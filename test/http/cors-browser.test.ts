// A page served from one origin calls `stockproof serve` on another, in headless Chromium: the
// browser itself enforces CORS, so this is the check that a Vite app on :5173 can use the server.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser.js";
import { ensureBuilt } from "../helpers/built-cli.js";
import { type SpawnedReference, spawnReference, tempDir } from "../helpers/reference.js";

/** A blank page on loopback: its origin is what the API server sees in Origin. */
function servePage(): Promise<{ server: Server; port: number }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>app</title>");
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as AddressInfo).port })),
  );
}

interface PageOutcome {
  readonly login?: number;
  readonly reserve?: number;
  readonly reserveStatus?: string;
  readonly problemCode?: string;
  readonly challenge?: string | null;
  readonly failure?: string;
}

/** Runs in the page: log in (form POST), reserve with a bearer token (preflighted), then read a 401 problem. */
async function callApi(api: string): Promise<PageOutcome> {
  try {
    const login = await fetch(`${api}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=password&username=buyer%40example.com&password=buyer-password&client_id=clientapp&client_secret=secret",
    });
    const token = ((await login.json()) as { access_token: string }).access_token;
    const customData = JSON.stringify({
      productInfoList: null,
      productStockList: [{ productStockId: 311191, orderCount: 1 }],
    });
    const query = new URLSearchParams({
      storeId: "itsdcode",
      merchantId: "itsdcode",
      amount: "1500",
      timestamp: "20210622",
      paymentOrderId: `P_${Date.now()}_cors`,
      customData,
    });
    const reserve = await fetch(`${api}/orders/payment/choice?${query}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const reserved = (await reserve.json()) as { status: string };
    const refused = await fetch(`${api}/orders/payment/choice?${query}`, { headers: { authorization: "Bearer nope" } });
    const problem = (await refused.json()) as { code: string };
    return {
      login: login.status,
      reserve: reserve.status,
      reserveStatus: reserved.status,
      problemCode: problem.code,
      challenge: refused.headers.get("www-authenticate"),
    };
  } catch (error) {
    return { failure: String(error) };
  }
}

describe("a browser page on another origin calling `stockproof serve`", () => {
  const temp = tempDir("stockproof-cors-browser-");
  let open: SpawnedReference;
  let closed: SpawnedReference;
  let page: { server: Server; port: number };
  let browser: Browser;

  beforeAll(async () => {
    ensureBuilt();
    [open, closed, page] = await Promise.all([
      spawnReference(["--db", `${temp.dir}/open.db`]),
      spawnReference(["--db", `${temp.dir}/closed.db`, "--cors", "https://staging.shop.test"]),
      servePage(),
    ]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (page ? page.server.close(resolve) : resolve(undefined)));
    await Promise.all([open?.stop(), closed?.stop()]);
    temp.remove();
  });

  it("logs in, reserves and reads a problem's code cross-origin (loopback is allowed by default)", async () => {
    const tab = await browser.newPage();
    // localhost:<page port> calling 127.0.0.1:<api port>: two origins, as with Vite's dev server.
    await tab.goto(`http://localhost:${page.port}/`);
    const outcome = await tab.evaluate(callApi, open.url.replace(/\/$/, ""));
    expect(outcome).toEqual({
      login: 200,
      reserve: 200,
      reserveStatus: "RESERVED",
      problemCode: "INVALID_TOKEN",
      challenge: expect.stringContaining('error="invalid_token"'),
    });
    await tab.close();
  });

  it("is blocked by the browser when the server does not list the page's origin", async () => {
    const tab = await browser.newPage();
    await tab.goto(`http://localhost:${page.port}/`);
    const outcome = await tab.evaluate(callApi, closed.url.replace(/\/$/, ""));
    expect(outcome.failure).toMatch(/Failed to fetch/);
    await tab.close();
  });
});
