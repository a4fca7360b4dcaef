// The typed client has no built-in credentials: the demo OAuth client and test-control key come from
// the mock's `demoCredentials`, so an app that ships the client alone ships none of them.
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { createMockBackend, demoCredentials } from "../../src/backend/msw/index.js";
import { createStockproofClient } from "../../src/verify/client/index.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const base = "http://localhost:8080";
const demoStrings = [demoCredentials.adminKey, demoCredentials.clientId, `"${demoCredentials.clientSecret}"`];

/** Records what the client sends, answering with the mock. */
function recording() {
  const backend = createMockBackend({ baseUrl: base });
  const sent: { readonly url: string; readonly headers: Headers; readonly body: string }[] = [];
  const fetch = async (request: Request) => {
    sent.push({ url: request.url, headers: request.headers, body: await request.clone().text() });
    return backend.fetch(request);
  };
  return { sent, fetch };
}

describe("the client's credentials", () => {
  it("are sent only when given: no client_id, client_secret or X-Admin-Key of its own", async () => {
    const { sent, fetch } = recording();
    const bare = createStockproofClient({ baseUrl: base, fetch });
    const login = await bare.login("buyer@example.com", "buyer-password");
    expect(login.error).toMatchObject({ error: "invalid_client" });
    expect(new URLSearchParams(sent[0]?.body).has("client_id")).toBe(false);
    expect(new URLSearchParams(sent[0]?.body).has("client_secret")).toBe(false);
    expect((await bare.snapshot()).response.status).toBe(401);
    expect(sent[1]?.headers.has("x-admin-key")).toBe(false);
  });

  it("demoCredentials from the mock log in and reach the test-control API", async () => {
    const { sent, fetch } = recording();
    const demo = createStockproofClient({ baseUrl: base, ...demoCredentials, fetch });
    expect((await demo.login("buyer@example.com", "buyer-password")).response.status).toBe(200);
    expect(Object.fromEntries(new URLSearchParams(sent[0]?.body))).toMatchObject({
      client_id: "clientapp",
      client_secret: "secret",
    });
    expect((await demo.snapshot()).data?.invariantHolds).toBe(true);
    expect(sent[1]?.headers.get("x-admin-key")).toBe("stockproof-admin");
  });

  it("a production bundle of an app that uses only the client holds none of the demo values", async () => {
    const app = `
      import { createStockproofClient } from "./src/verify/client/index.js";
      const client = createStockproofClient({ baseUrl: "/api", clientId: "shop-web" });
      document.querySelector("form")?.addEventListener("submit", async () => {
        await client.login("a", "b");
        console.log(await client.reserve([{ productStockId: 1, orderCount: 1 }]), await client.snapshot());
      });
    `;
    const result = await build({
      stdin: { contents: app, resolveDir: root, sourcefile: "app.ts", loader: "ts" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent",
    });
    const bundle = result.outputFiles.map((file) => file.text).join("\n");
    expect(bundle).toContain("shop-web");
    expect(demoStrings.filter((demo) => bundle.includes(demo))).toEqual([]);
  });
});
