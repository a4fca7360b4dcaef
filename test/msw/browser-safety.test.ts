import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { bytesEqual, safeEqual } from "../../src/backend/auth/constant-time.js";
import { pbkdf2Hasher } from "../../src/backend/auth/pbkdf2-hasher.js";
import { scryptHasher } from "../../src/backend/auth/scrypt-hasher.js";
import { apiRoute } from "../../src/backend/msw/api-route.js";
import { reserveQuery } from "../../src/verify/client/reserve-query.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("code reachable from stockproof/msw and stockproof/client", () => {
  it("bundles for the browser without node: modules, SQLite or undici", async () => {
    const { metafile } = await build({
      entryPoints: [`${root}src/backend/msw/index.ts`, `${root}src/verify/client/index.ts`],
      bundle: true,
      write: false,
      metafile: true,
      platform: "browser",
      format: "esm",
      outdir: `${root}dist-browser-check`,
      logLevel: "silent",
    });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain("src/backend/http/app.ts");
    expect(
      inputs.filter((input) => /^node:|better-sqlite3|undici|src\/store\/sqlite|src\/reference/.test(input)),
    ).toEqual([]);
  });
});

describe("password hashers", () => {
  for (const [name, hasher] of [
    ["scrypt (server)", scryptHasher],
    ["PBKDF2 over WebCrypto (MSW)", pbkdf2Hasher],
  ] as const) {
    it(`${name}: accepts the password, refuses others, salts every hash`, async () => {
      const stored = await hasher.hash("buyer-password");
      expect(await hasher.verify("buyer-password", stored)).toBe(true);
      expect(await hasher.verify("buyer-passwore", stored)).toBe(false);
      expect(await hasher.verify("", stored)).toBe(false);
      expect(await hasher.hash("buyer-password")).not.toBe(stored);
      expect(await hasher.verify("buyer-password", "scrypt$$")).toBe(false);
      expect(await hasher.verify("buyer-password", "pbkdf2$x$y$z")).toBe(false);
      expect(await hasher.verify("buyer-password", "plain")).toBe(false);
    });
  }

  it("keep the server on scrypt: a scrypt hash does not verify as PBKDF2, nor the reverse", async () => {
    expect(await pbkdf2Hasher.verify("pw", await scryptHasher.hash("pw"))).toBe(false);
    expect(await scryptHasher.verify("pw", await pbkdf2Hasher.hash("pw"))).toBe(false);
  });
});

describe("constant-time equality", () => {
  it("is equality, whatever the lengths", () => {
    expect(safeEqual("secret", "secret")).toBe(true);
    expect(safeEqual("secret", "secreT")).toBe(false);
    expect(safeEqual("secret", "secret\u0000")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
    expect(safeEqual("", "a")).toBe(false);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 0]))).toBe(false);
  });
});

describe("apiRoute: which URLs the handlers take", () => {
  const takes = (baseUrl: string, url: string) => apiRoute(baseUrl).pattern.test(url);

  it("an absolute base matches its origin and path only", () => {
    expect(takes("http://localhost:8080", "http://localhost:8080/oauth/token")).toBe(true);
    expect(takes("http://localhost:8080", "http://localhost:8080/orders/payment/choice")).toBe(true);
    expect(takes("http://localhost:8080", "http://localhost:8081/orders/payment/choice")).toBe(false);
    expect(takes("https://shop.test/api/", "https://shop.test/api/__admin/snapshot")).toBe(true);
    expect(takes("https://shop.test/api", "https://shop.test/orders/payment/choice")).toBe(false);
    expect(apiRoute("https://shop.test/api/").prefix).toBe("/api");
  });

  it("a path base (in Node) matches any origin, and never the app's own assets", () => {
    expect(takes("/api", "http://127.0.0.1:5173/api/orders/payment/cancel/P1")).toBe(true);
    expect(takes("", "http://127.0.0.1:5173/oauth/token")).toBe(true);
    expect(takes("", "http://127.0.0.1:5173/src/orders/Checkout.tsx")).toBe(false);
    expect(takes("", "http://127.0.0.1:5173/index.html")).toBe(false);
  });

  it("takes exactly the spec's paths, a path parameter being one segment", () => {
    expect(takes("", "http://x/orders/payment/kcp/payResultTest/P_1_ab")).toBe(true);
    expect(takes("", "http://x/orders/payment/kcp/payResultTest/P_1/extra")).toBe(false);
    expect(takes("", "http://x/orders/payment/cancel/")).toBe(false);
    expect(takes("", "http://x/orders/history")).toBe(false);
    expect(takes("", "http://x/__admin/stock")).toBe(true);
  });

  it("refuses a base it cannot mean, naming the fix", () => {
    expect(() => apiRoute("localhost:8080")).toThrow(/use e.g. "http:\/\/localhost:8080" or "\/api"/);
    expect(() => apiRoute("http://localhost:8080/?x=1")).toThrow(/query or fragment/);
  });
});

describe("reserveQuery: the seed's parameter set", () => {
  it("sends the items as customData.productStockList, with the seed's defaults", () => {
    const query = reserveQuery([{ productStockId: 311191, orderCount: 2 }], { timestamp: "20210621" });
    expect(query).toMatchObject({ storeId: "itsdcode", merchantId: "itsdcode", amount: "0", timestamp: "20210621" });
    expect(query.paymentOrderId).toMatch(/^P_\d+_[0-9a-f]{12}$/);
    expect(JSON.parse(query.customData)).toEqual({
      productInfoList: null,
      productStockList: [{ productStockId: 311191, orderCount: 2 }],
    });
    expect(reserveQuery([], {}).paymentOrderId).not.toBe(query.paymentOrderId);
  });
});
