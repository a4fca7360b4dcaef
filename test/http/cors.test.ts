import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isLoopbackOrigin, parseCorsOrigin } from "../../src/base/config/origins.js";
import { resolveServeSettings } from "../../src/base/config/serve-settings.js";
import { agent } from "../helpers/api.js";
import { ensureBuilt } from "../helpers/built-cli.js";
import { type SpawnedReference, spawnReference, tempDir } from "../helpers/reference.js";

const devServer = "http://localhost:5173";
const reservePath = "/orders/payment/choice";

async function send(base: string, method: string, path: string, headers: Record<string, string>) {
  const response = await request(`${base}${path}`, { method, headers, dispatcher: agent });
  const text = await response.body.text();
  const header = (name: string) => {
    const value = response.headers[name];
    return value === undefined ? undefined : String(value);
  };
  return { status: response.statusCode, header, text };
}

const preflight = (base: string, origin: string) =>
  send(base, "OPTIONS", reservePath, {
    origin,
    "access-control-request-method": "GET",
    "access-control-request-headers": "authorization",
  });

describe("CORS on `stockproof serve`", () => {
  const temp = tempDir("stockproof-cors-");
  let byDefault: SpawnedReference;
  let listed: SpawnedReference;
  let off: SpawnedReference;

  beforeAll(async () => {
    ensureBuilt();
    [byDefault, listed, off] = await Promise.all([
      spawnReference(["--db", `${temp.dir}/default.db`]),
      spawnReference(["--db", `${temp.dir}/listed.db`, "--cors", "https://staging.shop.test,loopback"]),
      spawnReference(["--db", `${temp.dir}/off.db`, "--no-cors"]),
    ]);
  });
  afterAll(async () => {
    await Promise.all([byDefault?.stop(), listed?.stop(), off?.stop()]);
    temp.remove();
  });

  it("answers a loopback dev server's preflight before authentication, allowing Authorization", async () => {
    for (const origin of [devServer, "http://127.0.0.1:3000", "http://[::1]:4173"]) {
      const answer = await preflight(byDefault.url, origin);
      expect(answer.status, origin).toBe(204);
      expect(answer.header("access-control-allow-origin"), origin).toBe(origin);
      expect(answer.header("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
      expect(answer.header("access-control-allow-headers")?.toLowerCase()).toContain("content-type");
      expect(answer.header("access-control-allow-methods")).toContain("DELETE");
      expect(answer.header("vary")).toContain("Origin");
    }
  });

  it("puts the headers on problems too, so the page can read the code and the Bearer challenge", async () => {
    const answer = await send(byDefault.url, "GET", reservePath, { origin: devServer });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.text).code).toBe("INVALID_TOKEN");
    expect(answer.header("access-control-allow-origin")).toBe(devServer);
    expect(answer.header("access-control-expose-headers")).toContain("WWW-Authenticate");

    const unknown = await send(byDefault.url, "GET", "/nowhere", { origin: devServer });
    expect(unknown.status).toBe(404);
    expect(unknown.header("access-control-allow-origin")).toBe(devServer);
  });

  it("grants no other origin by default, and adds nothing when there is no Origin header", async () => {
    const foreign = await preflight(byDefault.url, "https://evil.example");
    expect(foreign.header("access-control-allow-origin")).toBeUndefined();
    for (const origin of ["http://localhost.evil.example:5173", "http://127.0.0.1.evil.example", "file://"]) {
      expect((await preflight(byDefault.url, origin)).header("access-control-allow-origin"), origin).toBeUndefined();
    }
    const plain = await send(byDefault.url, "GET", reservePath, {});
    expect(plain.status).toBe(401);
    expect(plain.header("access-control-allow-origin")).toBeUndefined();
  });

  it("--cors lists origins (with `loopback` kept on request); --no-cors turns it off", async () => {
    expect((await preflight(listed.url, "https://staging.shop.test")).header("access-control-allow-origin")).toBe(
      "https://staging.shop.test",
    );
    expect((await preflight(listed.url, devServer)).header("access-control-allow-origin")).toBe(devServer);
    expect((await preflight(listed.url, "https://shop.test")).header("access-control-allow-origin")).toBeUndefined();

    const refused = await preflight(off.url, devServer);
    expect(refused.status).toBe(401);
    expect(refused.header("access-control-allow-origin")).toBeUndefined();
  });
});

describe("--cors settings", () => {
  it("defaults to loopback origins; a list, * and off come from the flag or STOCKPROOF_CORS", () => {
    expect(resolveServeSettings({}, {}).cors).toEqual(["loopback"]);
    expect(resolveServeSettings({ cors: false }, {}).cors).toBeNull();
    expect(resolveServeSettings({}, { STOCKPROOF_CORS: "off" }).cors).toBeNull();
    expect(resolveServeSettings({ cors: "https://a.test/, http://b.test:81" }, {}).cors).toEqual([
      "https://a.test",
      "http://b.test:81",
    ]);
    expect(resolveServeSettings({}, { STOCKPROOF_CORS: "*" }).cors).toEqual(["*"]);
    expect(resolveServeSettings({ cors: "https://flag.test" }, { STOCKPROOF_CORS: "off" }).cors).toEqual([
      "https://flag.test",
    ]);
  });

  it("refuses what is not an origin, naming the fix", () => {
    for (const bad of ["localhost:5173", "https://a.test/app", "ftp://a.test", ","]) {
      expect(() => resolveServeSettings({ cors: bad }, {}), bad).toThrow(/--cors/);
    }
    expect(() => parseCorsOrigin("https://a.test/app")).toThrow(/scheme:\/\/host\[:port\] without a path/);
  });

  it("knows loopback origins on any port", () => {
    expect(isLoopbackOrigin("http://localhost:5173")).toBe(true);
    expect(isLoopbackOrigin("https://127.0.0.2")).toBe(true);
    expect(isLoopbackOrigin("http://[::1]:8080")).toBe(true);
    expect(isLoopbackOrigin("http://localhost.example")).toBe(false);
    expect(isLoopbackOrigin("http://10.0.0.1:5173")).toBe(false);
    expect(isLoopbackOrigin("null")).toBe(false);
  });
});
