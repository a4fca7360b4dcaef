import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostOf, isAllowedHost } from "../../src/backend/http/middleware/allowed-hosts.js";
import { resolveServeSettings } from "../../src/base/config/serve-settings.js";
import { agent, api, conforms } from "../helpers/api.js";
import { ensureBuilt } from "../helpers/built-cli.js";
import { adminKey, buyer, other, type SpawnedReference, spawnReference, tempDir } from "../helpers/reference.js";

// The attacks of a web page on a server running beside the developer's browser: a page whose own
// name was re-pointed at 127.0.0.1 (DNS rebinding), a page on another loopback port, and any site
// once CORS is open to all. Each is sent as the browser would send it, with the page's Host/Origin.

const form = new URLSearchParams({
  grant_type: "password",
  client_id: "clientapp",
  client_secret: "secret",
  ...buyer,
}).toString();

const portOf = (url: string) => new URL(url).port;
const hostOfUrl = (url: string) => new URL(url).host;

/** A browser's preflight for a request carrying X-Admin-Key. */
async function preflight(url: string, headers: Record<string, string>, method: string) {
  const response = await request(url, {
    method: "OPTIONS",
    headers: { ...headers, "access-control-request-method": method, "access-control-request-headers": "x-admin-key" },
    dispatcher: agent,
  });
  await response.body.text();
  const header = (name: string) => {
    const value = response.headers[name];
    return value === undefined ? undefined : String(value);
  };
  return { status: response.statusCode, header };
}

/** The orders and every SKU's available stock, to show an attack changed nothing. */
async function state(base: string) {
  const snapshot = await api(base).snapshot();
  expect(snapshot.status).toBe(200);
  const skus = snapshot.body.skus as { productStockId: number; available: number }[];
  return {
    orders: (snapshot.body.orders as { paymentOrderId: string }[]).map((o) => o.paymentOrderId),
    available: Object.fromEntries(skus.map((s) => [s.productStockId, s.available])),
  };
}

async function withOneOrder(base: string) {
  const client = api(base);
  const token = await client.login(buyer);
  expect(
    (await client.reserve(token, `laptop-${Date.now()}`, [{ productStockId: 311191, orderCount: 1 }])).status,
  ).toBe(200);
  return state(base);
}

describe("a web page cannot read or change the store of `stockproof serve`", () => {
  const temp = tempDir("stockproof-laptop-");
  let byDefault: SpawnedReference;
  let noAdmin: SpawnedReference;
  let named: SpawnedReference;
  let vite: SpawnedReference;
  let openCors: SpawnedReference;

  beforeAll(async () => {
    ensureBuilt();
    [byDefault, noAdmin, named, vite, openCors] = await Promise.all([
      spawnReference(["--db", `${temp.dir}/default.db`]),
      spawnReference(["--db", `${temp.dir}/no-admin.db`, "--no-admin"]),
      spawnReference(["--db", `${temp.dir}/named.db`, "--allowed-hosts", "shop.test"], {
        STOCKPROOF_ALLOWED_HOSTS: "ignored.test",
      }),
      spawnReference(["--db", `${temp.dir}/vite.db`, "--cors", "http://localhost:5173"]),
      spawnReference(["--db", `${temp.dir}/open.db`, "--cors", "*"]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([byDefault, noAdmin, named, vite, openCors].map((server) => server?.stop()));
    temp.remove();
  });

  it("refuses a DNS-rebinding page (Host evil.example) with 421 before any route, the token endpoint included", async () => {
    const before = await withOneOrder(byDefault.url);
    const evil = `evil.example:${portOf(byDefault.url)}`;
    const page = { host: evil, origin: `http://${evil}` };
    const client = api(byDefault.url);

    const reset = conforms(
      "resetStore",
      await client.send("POST", "/__admin/reset", { headers: { ...page, "x-admin-key": adminKey } }),
    );
    expect(reset.status).toBe(421);
    expect(reset.headers["content-type"]).toContain("application/problem+json");
    expect(reset.body.code).toBe("HOST_NOT_ALLOWED");
    expect(reset.body.detail).toContain("--allowed-hosts evil.example");

    const read = await client.send("GET", "/__admin/snapshot", { headers: { ...page, "x-admin-key": adminKey } });
    expect(read.status).toBe(421);
    expect(read.body.orders).toBeUndefined();

    const token = await client.token({ ...Object.fromEntries(new URLSearchParams(form)) }, page);
    expect(token.status).toBe(421);
    expect(token.body.access_token).toBeUndefined();
    // A preflight is refused too: the page learns nothing.
    const refusedPreflight = await preflight(`${byDefault.url}/__admin/reset`, page, "POST");
    expect(refusedPreflight.status).toBe(421);
    expect(refusedPreflight.header("access-control-allow-origin")).toBeUndefined();

    expect(await state(byDefault.url)).toEqual(before);
    // The server's own names still work, with a port or without, in any case and with a trailing dot.
    for (const host of [`localhost:${portOf(byDefault.url)}`, "LOCALHOST.", "127.0.0.1", "[::1]:1", "app.localhost"]) {
      expect((await client.token(Object.fromEntries(new URLSearchParams(form)), { host })).status, host).toBe(200);
    }
  });

  it("refuses it under --no-admin too, where the token endpoint is the whole surface", async () => {
    const client = api(noAdmin.url);
    const host = `evil.example:${portOf(noAdmin.url)}`;
    const refused = await client.token(Object.fromEntries(new URLSearchParams(form)), { host });
    expect(refused.status).toBe(421);
    expect(refused.body.code).toBe("HOST_NOT_ALLOWED");
    expect((await client.token(Object.fromEntries(new URLSearchParams(form)))).status).toBe(200);
  });

  it("answers the names of --allowed-hosts (the flag before STOCKPROOF_ALLOWED_HOSTS) and no other", async () => {
    const client = api(named.url);
    const login = (host: string) => client.token(Object.fromEntries(new URLSearchParams(form)), { host });
    expect((await login("shop.test")).status).toBe(200);
    expect((await login(`shop.test:${portOf(named.url)}`)).status).toBe(200);
    expect((await login("api.shop.test")).status).toBe(421);
    expect((await login("ignored.test")).status).toBe(421);
    expect((await login("shop.test.evil.example")).status).toBe(421);
  });

  it("keeps pages on other loopback ports out of the test-control API: no X-Admin-Key in the preflight, 403 if sent", async () => {
    const before = await state(byDefault.url);
    const client = api(byDefault.url);
    const page = { origin: "http://localhost:3000" };
    const options = await preflight(
      `${byDefault.url}/__admin/stock`,
      { ...page, host: hostOfUrl(byDefault.url) },
      "PUT",
    );
    expect(options.status).toBe(204);
    expect(options.header("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(options.header("access-control-allow-headers")?.toLowerCase()).not.toContain("x-admin-key");

    const set = conforms(
      "setStock",
      await client.send("PUT", "/__admin/stock", {
        headers: { ...page, "x-admin-key": adminKey, "content-type": "application/json" },
        body: JSON.stringify({ items: [{ productStockId: 311191, quantity: 0 }] }),
      }),
    );
    expect(set.status).toBe(403);
    expect(set.body.code).toBe("ADMIN_ORIGIN_NOT_ALLOWED");
    expect(set.body.detail).toContain("--cors http://localhost:3000");
    const read = await client.send("GET", "/__admin/snapshot", { headers: { ...page, "x-admin-key": adminKey } });
    expect(read.status).toBe(403);
    expect(await state(byDefault.url)).toEqual(before);
    // The page may still use the public API: that is what CORS for loopback is for.
    expect((await client.token(Object.fromEntries(new URLSearchParams(form)), page)).status).toBe(200);
  });

  it("lets a Vite app reset its stock: from an origin listed by itself, or same-origin through the dev server's proxy", async () => {
    await withOneOrder(vite.url);
    const client = api(vite.url);
    const options = await preflight(`${vite.url}/__admin/reset`, { origin: "http://localhost:5173" }, "POST");
    expect(options.header("access-control-allow-headers")?.toLowerCase()).toContain("x-admin-key");
    const reset = await client.send("POST", "/__admin/reset", {
      headers: { origin: "http://localhost:5173", "x-admin-key": adminKey },
    });
    expect(reset.status).toBe(200);
    expect(reset.headers["access-control-allow-origin"]).toBe("http://localhost:5173");
    expect((await state(vite.url)).orders).toEqual([]);
    // Another port is still another origin.
    const other = await client.send("POST", "/__admin/reset", {
      headers: { origin: "http://localhost:5174", "x-admin-key": adminKey },
    });
    expect(other.status).toBe(403);

    // The dev server's proxy keeps the page's Host (localhost:5173) and Origin: same origin, on the default --cors.
    await withOneOrder(byDefault.url);
    const proxied = await api(byDefault.url).send("POST", "/__admin/reset", {
      headers: { host: "localhost:5173", origin: "http://localhost:5173", "x-admin-key": adminKey },
    });
    expect(proxied.status).toBe(200);
  });

  it("keeps paymentOrderIds global: another user's id is 409 DUPLICATE_PAYMENT_ORDER, its order stays 404 to them", async () => {
    const client = api(byDefault.url);
    const [buyerToken, otherToken] = [await client.login(buyer), await client.login(other)];
    const id = `global-${Date.now()}`;
    expect((await client.reserve(buyerToken, id, [{ productStockId: 800001, orderCount: 1 }])).status).toBe(200);
    const before = await state(byDefault.url);
    const again = await client.reserve(otherToken, id, [{ productStockId: 800001, orderCount: 1 }]);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe("DUPLICATE_PAYMENT_ORDER");
    expect((await client.pay(otherToken, id)).status).toBe(404);
    expect((await client.cancel(otherToken, id)).status).toBe(404);
    expect(await state(byDefault.url)).toEqual(before);
  });

  it("with --cors '*' warns in the banner, and still keeps other origins out of the test-control API", async () => {
    expect(openCors.output.join("\n")).toMatch(/warning: CORS is open to every origin/);
    const before = await withOneOrder(openCors.url);
    const reset = await api(openCors.url).send("POST", "/__admin/reset", {
      headers: { origin: "https://evil.example", "x-admin-key": adminKey },
    });
    expect(reset.status).toBe(403);
    expect(reset.body.code).toBe("ADMIN_ORIGIN_NOT_ALLOWED");
    expect(await state(openCors.url)).toEqual(before);
  });
});

describe("--allowed-hosts settings", () => {
  it("takes names and .domains from the flag or STOCKPROOF_ALLOWED_HOSTS, adds a named --host, refuses the rest", () => {
    expect(resolveServeSettings({}, {}).allowedHosts).toEqual([]);
    expect(resolveServeSettings({ allowedHosts: "Shop.Test, .dev.test" }, {}).allowedHosts).toEqual([
      "shop.test",
      ".dev.test",
    ]);
    expect(resolveServeSettings({}, { STOCKPROOF_ALLOWED_HOSTS: "a.test" }).allowedHosts).toEqual(["a.test"]);
    expect(resolveServeSettings({ host: "devbox.lan" }, {}).allowedHosts).toEqual(["devbox.lan"]);
    expect(resolveServeSettings({ host: "0.0.0.0" }, {}).allowedHosts).toEqual([]);
    for (const bad of ["http://shop.test", "shop.test:8080", "shop test", "a..b"]) {
      expect(() => resolveServeSettings({ allowedHosts: bad }, {}), bad).toThrow(
        /--allowed-hosts: .* is not a host name/,
      );
    }
    expect(resolveServeSettings({ allowedHosts: "*" }, {}).warnings.join("\n")).toMatch(/DNS-rebinding guard off/);
  });

  it("knows which Host values are always answered", () => {
    expect(hostOf("Example.TEST:8080")).toBe("example.test");
    expect(hostOf("[::1]:8080")).toBe("[::1]");
    expect(hostOf("localhost.")).toBe("localhost");
    for (const host of ["localhost", "a.localhost", "127.0.0.1", "10.1.2.3", "[::1]", "[fe80::1]"]) {
      expect(isAllowedHost(host, []), host).toBe(true);
    }
    for (const host of ["evil.example", "localhost.evil.example", "127.0.0.1.nip.io", ""]) {
      expect(isAllowedHost(host, []), host).toBe(false);
    }
    expect(isAllowedHost("a.dev.test", [".dev.test"])).toBe(true);
    expect(isAllowedHost("dev.test", [".dev.test"])).toBe(true);
    expect(isAllowedHost("evildev.test", [".dev.test"])).toBe(false);
  });
});
