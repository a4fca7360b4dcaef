// The frontend guide's Playwright example, run as written: its block is read from docs/frontend.md, the
// @playwright/test import replaced by a small runner over playwright-core (the same test/afterEach
// calls and `page`/`request` fixtures), in the bundled Chromium, against a real `stockproof serve`.
import { transform } from "esbuild";
import { type Browser, request as playwrightRequest } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser.js";
import { ensureBuilt } from "../helpers/built-cli.js";
import { docBlockAfter } from "../helpers/readme-blocks.js";
import { type SpawnedReference, spawnReference, tempDir } from "../helpers/reference.js";
import { checkoutPage } from "./checkout-page.js";

type Fixtures = Record<string, unknown>;
type Body = (fixtures: Fixtures) => Promise<void>;

/** The subset of @playwright/test's `test` the example uses, collecting what it declares. */
function collector() {
  const tests: { name: string; body: Body }[] = [];
  const afterEach: Body[] = [];
  const test = Object.assign((name: string, body: Body) => tests.push({ name, body }), {
    afterEach: (body: Body) => afterEach.push(body),
  });
  return { test, tests, afterEach };
}

const guideApi = "http://127.0.0.1:8080";
const temp = tempDir("stockproof-e2e-");
let served: SpawnedReference;
let browser: Browser;

beforeAll(async () => {
  ensureBuilt();
  [served, browser] = await Promise.all([spawnReference(["--db", `${temp.dir}/e2e.db`]), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await served?.stop();
  temp.remove();
});

it("the frontend guide's Playwright example passes against `stockproof serve` in Chromium", async () => {
  const block = docBlockAfter("docs/frontend.md", "In a Playwright test against");
  expect(block).toContain(`const api = "${guideApi}";`);
  const source = block.replace(/^import .*@playwright\/test.*$/m, "").replaceAll(guideApi, served.url);
  const { code } = await transform(source, { loader: "ts", format: "esm" });
  const { test, tests, afterEach } = collector();
  await new Function("test", "expect", code)(test, expect);
  expect(tests.map((t) => t.name)).toEqual([
    "a busy store shows the retry hint; once it is free the purchase completes",
  ]);

  for (const { name, body } of tests) {
    // The app is served on the API's origin (as behind a dev server's proxy): the page needs no CORS.
    const context = await browser.newContext({ baseURL: served.url });
    await context.route(`${served.url}/checkout`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: checkoutPage }),
    );
    const page = await context.newPage();
    const request = await playwrightRequest.newContext();
    const fixtures = { page, request };
    try {
      await body(fixtures);
      const journal = await (
        await request.get(`${served.url}/__admin/requests`, { headers: { "x-admin-key": "stockproof-admin" } })
      ).json();
      console.log(`The frontend guide's Playwright example: "${name}" passed; the journal:`);
      for (const r of journal.requests as {
        method: string;
        path: string;
        status: number;
        code: string | null;
        forcedBy: string | null;
      }[]) {
        console.log(
          `  ${r.method} ${r.path} → ${r.status}${r.code === null ? "" : ` ${r.code}`}${r.forcedBy === null ? "" : ` (forced by ${r.forcedBy})`}`,
        );
      }
    } finally {
      for (const hook of afterEach) await hook(fixtures);
      await request.dispose();
      await context.close();
    }
  }
  // The example's afterEach reset the server: no rule, no order, an empty journal.
  const check = await playwrightRequest.newContext();
  const snapshot = await (
    await check.get(`${served.url}/__admin/snapshot`, { headers: { "x-admin-key": "stockproof-admin" } })
  ).json();
  expect([snapshot.faults, snapshot.orders]).toEqual([[], []]);
  await check.dispose();
});
