import { connect } from "node:net";
import fc from "fast-check";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateResponse } from "../../src/backend/spec/validators.js";
import { cancelPath, payPath, reservePath } from "../../src/verify/client/paths.js";
import { api, customData, reserveQuery } from "../helpers/api.js";
import { adminKey, buyer, type RunningReference, startReference } from "../helpers/reference.js";
import { runSeed, scale } from "./support.js";

/*
 * Hostile input: random strings, raw bytes, unicode, huge and non-finite numbers, deep and huge
 * JSON and repeated parameters, in every query parameter, path parameter, header and form field.
 * Every answer is a 4xx the spec documents for the operation (validateResponse), never a 5xx or a
 * dropped connection, and the admin snapshot is the same before and after.
 *
 * The base reserve request asks for more units than exist, so a request that survives validation
 * is refused with 409 OUT_OF_STOCK and changes nothing; the store holds no orders, so any order
 * id is unknown.
 */

const seed = runSeed();
const runs = scale(150, 2000);
const budget = scale(120_000, 600_000);

const percentEncode = (bytes: Uint8Array) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

/** Hostile values as bytes (percent-encoded wherever they go into a URL). */
const hostile: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }).map(utf8),
  fc.string({ unit: "grapheme", maxLength: 40 }).map(utf8),
  fc.uint8Array({ maxLength: 80 }),
  fc
    .constantFrom(
      "",
      " ",
      "NaN",
      "-1",
      "1.5",
      "-0",
      "1e309",
      "Infinity",
      "0x10",
      "99999999999999999999999999999999",
      "null",
      "[]",
      "{}",
      "__proto__",
      "constructor",
      "\u0000",
      "../../etc/passwd",
      "' OR 1=1 --",
      "%",
      "%zz",
      "\uFEFF1",
    )
    .map(utf8),
  fc.oneof(fc.bigInt(), fc.double()).map((n) => utf8(String(n))),
  fc.integer({ min: 11_000, max: 70_000 }).map((n) => new Uint8Array(n).fill(0x61)),
);

/** Hostile numbers for JSON fields: NaN cannot be written in JSON, so it arrives as a string or null. */
const hostileNumber = fc.oneof(
  fc.constantFrom<unknown>(0, -1, 1.5, -0.5, 1e308, -1e308, 2 ** 53, 2 ** 64, "NaN", "1", null, true, [], {}, "∞"),
  fc.double(),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((n) => Number(n)),
);

const deepJson = fc
  .tuple(fc.integer({ min: 50, max: 20_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${"[".repeat(depth)}${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`,
  );

const reserveParams = ["storeId", "merchantId", "amount", "timestamp", "paymentOrderId", "customData"] as const;
const formFields = [
  "grant_type",
  "username",
  "password",
  "client_id",
  "client_secret",
  "scope",
  "refresh_token",
] as const;

interface Case {
  readonly operationId: "reserveStock" | "payOrder" | "cancelOrder" | "createToken" | "setStock" | "getSnapshot";
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly label: string;
}

describe("hostile input changes nothing and gets a documented 4xx", () => {
  let server: RunningReference;
  let token: string;
  let baseQuery: string;
  let snapshotBefore: unknown;
  const client = () => api(server.url);
  const bearer = () => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    server = await startReference();
    token = await client().login(buyer);
    // 1000 units of an 800-unit SKU: valid, and always OUT_OF_STOCK.
    baseQuery = reserveQuery("fuzz-base", customData([{ productStockId: 800001, orderCount: 1000 }]));
    snapshotBefore = await state();
  });
  afterAll(async () => server.close());

  async function state() {
    const { takenAt: _, ...rest } = (await client().snapshot()).body;
    return rest;
  }

  const withParam = (name: string, encoded: string) =>
    baseQuery
      .split("&")
      .map((pair) => (pair.startsWith(`${name}=`) ? `${name}=${encoded}` : pair))
      .join("&");

  const reserveCase = (query: string, label: string, headers: Record<string, string> = {}): Case => ({
    operationId: "reserveStock",
    method: "GET",
    path: reservePath(query),
    headers: { ...bearer(), ...headers },
    label,
  });

  const cases: fc.Arbitrary<Case> = fc.oneof<fc.Arbitrary<Case>[]>(
    // Every reserve query parameter, replaced.
    fc
      .tuple(fc.constantFrom(...reserveParams), hostile)
      .map(([name, v]) => reserveCase(withParam(name, percentEncode(v)), `query ${name}`)),
    // A parameter given twice.
    fc
      .tuple(fc.constantFrom(...reserveParams), hostile)
      .map(([name, v]) => reserveCase(`${baseQuery}&${name}=${percentEncode(v)}`, `duplicated ${name}`)),
    // Unknown extra parameters.
    fc
      .tuple(hostile, hostile)
      .map(([n, v]) => reserveCase(`${baseQuery}&${percentEncode(n)}=${percentEncode(v)}`, "extra parameter")),
    // Line-item fields with hostile numbers and shapes.
    fc
      .tuple(hostileNumber, hostileNumber, fc.constantFrom("productStockList", "productInfoList"))
      .map(([id, count, list]) => {
        const data =
          list === "productStockList"
            ? { productInfoList: null, productStockList: [{ productStockId: id, orderCount: count }] }
            : { productStockList: null, productInfoList: [{ productId: id, color: "BLACK", size: "L", count }] };
        return reserveCase(
          withParam("customData", encodeURIComponent(JSON.stringify(data))),
          `customData ${list} numbers`,
        );
      }),
    // Deep or huge JSON in customData.
    deepJson.map((json) => reserveCase(withParam("customData", encodeURIComponent(json)), "deep customData")),
    fc
      .integer({ min: 1, max: 3_000 })
      .map((n) =>
        reserveCase(
          withParam(
            "customData",
            encodeURIComponent(
              customData(Array.from({ length: n }, (_, i) => ({ productStockId: 800001 + (i % 2), orderCount: 1000 }))),
            ),
          ),
          `customData with ${n} lines`,
        ),
      ),
    // Path parameters of pay and cancel.
    fc
      .tuple(fc.constantFrom("payOrder", "cancelOrder") as fc.Arbitrary<"payOrder" | "cancelOrder">, hostile)
      .map(([operationId, v]) => ({
        operationId,
        method: operationId === "payOrder" ? "GET" : "DELETE",
        // The id is percent-encoded here by hand, so the hostile characters reach the server as chosen.
        path: `${operationId === "payOrder" ? payPath("") : cancelPath("")}${percentEncode(v)}`,
        headers: bearer(),
        label: `path ${operationId}`,
      })),
    // Headers: Authorization, and any header on an otherwise valid request.
    hostile.map((v) =>
      reserveCase(baseQuery, "header authorization", { authorization: Buffer.from(v).toString("latin1") }),
    ),
    hostile.map((v) =>
      reserveCase(baseQuery, "header bearer token", { authorization: `Bearer ${Buffer.from(v).toString("latin1")}` }),
    ),
    fc
      .tuple(
        fc.constantFrom("content-type", "content-length-ish", "x-forwarded-for", "accept", "cookie", "x-admin-key"),
        hostile,
      )
      .map(([name, v]) => reserveCase(baseQuery, `header ${name}`, { [name]: Buffer.from(v).toString("latin1") })),
    // Every form field of the token endpoint, replaced or repeated.
    fc.tuple(fc.constantFrom(...formFields), hostile, fc.boolean()).map(([name, v, repeat]) => {
      const form = `grant_type=password&username=buyer%40example.com&password=wrong-password&client_id=clientapp&client_secret=secret`;
      const replaced = repeat
        ? `${form}&${name}=${percentEncode(v)}`
        : `${form
            .split("&")
            .filter((p) => !p.startsWith(`${name}=`))
            .join("&")}&${name}=${percentEncode(v)}`;
      return {
        operationId: "createToken",
        method: "POST",
        path: "/oauth/token",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: replaced,
        label: `form ${name}${repeat ? " repeated" : ""}`,
      };
    }),
    fc
      .tuple(hostile, fc.constantFrom("application/x-www-form-urlencoded", "application/json", "text/plain"))
      .map(([v, type]) => ({
        operationId: "createToken",
        method: "POST",
        path: "/oauth/token",
        headers: { "content-type": type, authorization: `Basic ${Buffer.from(v).toString("base64")}` },
        body: Buffer.from(v).toString("latin1"),
        label: "token body and Basic header",
      })),
    // The test-control API: hostile bodies (never a valid quantity) and hostile keys.
    fc.tuple(hostileNumber, hostileNumber).map(([id, quantity]) => ({
      operationId: "setStock",
      method: "PUT",
      path: "/__admin/stock",
      headers: { "x-admin-key": adminKey, "content-type": "application/json" },
      body: JSON.stringify({
        items: [
          {
            productStockId: id,
            quantity: typeof quantity === "number" && Number.isInteger(quantity) && quantity >= 0 ? -1 : quantity,
          },
        ],
      }),
      label: "admin stock numbers",
    })),
    fc
      .oneof(
        deepJson,
        hostile.map((v) => Buffer.from(v).toString("latin1")),
      )
      .map((body) => ({
        operationId: "setStock",
        method: "PUT",
        path: "/__admin/stock",
        headers: { "x-admin-key": adminKey, "content-type": "application/json" },
        body,
        label: "admin stock body",
      })),
    hostile.map((v) => ({
      operationId: "getSnapshot",
      method: "GET",
      path: "/__admin/snapshot",
      headers: { "x-admin-key": Buffer.from(v).toString("latin1") },
      label: "admin key",
    })),
  );

  it(
    `answers ${runs} hostile requests with documented 4xx and changes nothing`,
    async () => {
      console.log(`input-fuzz seed ${seed} (replay with STOCKPROOF_SEED=${seed}), ${runs} requests`);
      const statuses = new Map<string, number>();
      let refusedByClient = 0;
      await fc.assert(
        fc.asyncProperty(cases, async (c) => {
          let response: Awaited<ReturnType<typeof request>>;
          try {
            response = await request(`${server.url}${c.path}`, {
              method: c.method,
              headers: c.headers ?? {},
              body: c.body ?? null,
            });
          } catch (error) {
            // undici refuses to send some header values (CR, LF, NUL); nothing reached the server.
            if ((error as { code?: string }).code === "UND_ERR_INVALID_ARG") {
              refusedByClient++;
              return;
            }
            throw error;
          }
          const text = await response.body.text();
          const contentType = response.headers["content-type"];
          const body = (text === "" ? undefined : JSON.parse(text)) as { type?: string } | undefined;
          const key = `${c.label} → ${response.statusCode}`;
          statuses.set(key, (statuses.get(key) ?? 0) + 1);
          expect(response.statusCode, `${c.label}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
          expect(response.statusCode, `${c.label}: ${text.slice(0, 200)}`).toBeLessThan(500);
          if (body?.type === "about:blank") {
            // Refused by the HTTP layer before any operation ran (src/backend/server/listen.ts): 400 or 431, then closed.
            expect([400, 431]).toContain(response.statusCode);
            expect(contentType).toBe("application/problem+json");
          } else {
            const checked = validateResponse(
              c.operationId,
              response.statusCode,
              typeof contentType === "string" ? contentType : null,
              body,
            );
            expect(checked.ok ? [] : checked.errors, `${c.label} ${response.statusCode} is documented`).toEqual([]);
          }
          expect(await state(), `${c.label} changed the state`).toEqual(snapshotBefore);
        }),
        { numRuns: runs, seed },
      );
      console.log(`  ${runs} hostile requests (${refusedByClient} refused by the client library before sending):`);
      for (const [key, count] of [...statuses].sort()) console.log(`    ${key}: ${count}`);
    },
    budget,
  );

  it(
    "answers raw random bytes in the request line and headers with a 4xx and keeps serving",
    async () => {
      const port = Number(new URL(server.url).port);
      const rawRuns = scale(60, 600);
      const seen = new Map<number | "closed", number>();
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 200 }),
          fc.uint8Array({ maxLength: 200 }),
          async (target, header) => {
            const head = Buffer.concat([
              Buffer.from("GET /orders/payment/choice?"),
              Buffer.from(target),
              Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nX-Fuzz: `),
              Buffer.from(header),
              Buffer.from("\r\nConnection: close\r\n\r\n"),
            ]);
            const reply = await new Promise<string>((resolve, reject) => {
              const socket = connect(port, "127.0.0.1", () => socket.end(head));
              const chunks: Buffer[] = [];
              socket.on("data", (chunk) => chunks.push(chunk));
              socket.on("error", reject);
              socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
            });
            const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? Number.NaN);
            seen.set(status, (seen.get(status) ?? 0) + 1);
            expect(status, reply.slice(0, 200)).toBeGreaterThanOrEqual(400);
            expect(status, reply.slice(0, 200)).toBeLessThan(500);
            expect(await state()).toEqual(snapshotBefore);
          },
        ),
        { numRuns: rawRuns, seed },
      );
      console.log(`  ${rawRuns} raw requests, statuses: ${JSON.stringify(Object.fromEntries(seen))}`);
      // Still serving normal clients.
      expect((await client().reserve(token, "after-raw", [{ productStockId: 800001, orderCount: 1000 }])).status).toBe(
        409,
      );
    },
    budget,
  );
});
