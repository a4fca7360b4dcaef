import { SignJWT, UnsecuredJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAudience } from "../../src/reference.js";
import { type ApiResponse, api, conforms, customData, reserveQuery } from "../helpers/api.js";
import { adminKey, buyer, other, type RunningReference, startReference } from "../helpers/reference.js";
import { headerProblems } from "../helpers/spec-headers.js";

type Json = Record<string, unknown>;
type Client = ReturnType<typeof api>;

const tokenSecret = "bad-input-suite-signing-secret";
const sku = 311191;
const existing = "bad-input-existing";

/** A request that must be refused, and what the refusal must say. */
interface BadCase {
  readonly name: string;
  readonly operationId: "reserveStock" | "payOrder" | "cancelOrder" | "setStock";
  readonly status: number;
  readonly code: string;
  send(): Promise<ApiResponse<Json>>;
}

const line = (orderCount: unknown, productStockId: unknown = sku) => ({ productStockId, orderCount });
const stockList = (...lines: unknown[]) => JSON.stringify({ productInfoList: null, productStockList: lines });

describe("bad input is refused with its documented 4xx and changes nothing", () => {
  let server: RunningReference;
  let http: Client;
  let token: string;
  let otherToken: string;
  const unexpected: unknown[] = [];

  beforeAll(async () => {
    server = await startReference({ tokenSecret, onUnexpected: (error) => unexpected.push(error) });
    http = api(server.url);
    [token, otherToken] = await Promise.all([http.login(buyer), http.login(other)]);
    // One order already exists: the target of duplicate ids and of another user's attempts.
    const reserved = await http.reserve(token, existing, [{ productStockId: sku, orderCount: 2 }]);
    expect(reserved.status).toBe(200);
  });
  afterAll(async () => server?.close());

  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const reserveWith = (query: string, headers: Record<string, string> = bearer(token)) =>
    http.send("GET", `/orders/payment/choice?${query}`, { headers });
  const reserveData = (data: string, id = "bad-input-new") => reserveWith(reserveQuery(id, data));
  const withoutParameter = (name: string) => {
    const params = new URLSearchParams(
      reserveQuery("bad-input-new", customData([{ productStockId: sku, orderCount: 1 }])),
    );
    params.delete(name);
    return reserveWith(params.toString());
  };
  const validQuery = () => reserveQuery("bad-input-new", customData([{ productStockId: sku, orderCount: 1 }]));

  /** Claims of a genuine access token for the buyer. */
  const claims = () => ({
    user_name: "144602",
    scope: ["read", "write"],
    authorities: ["ROLE_USER"],
    client_id: "clientapp",
    jti: "forged-jti",
  });
  const sign = (key: string, alg = "HS256", exp = Math.floor(Date.now() / 1000) + 3600, audience = defaultAudience) =>
    new SignJWT(claims())
      .setProtectedHeader({ alg, typ: "JWT" })
      .setAudience([audience])
      .setIssuedAt(exp - 7200)
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(key));

  const reserveCase = (name: string, code: string, send: () => Promise<ApiResponse<Json>>, status = 400): BadCase => ({
    name,
    operationId: "reserveStock",
    status,
    code,
    send,
  });

  const deeplyNested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

  const cases: BadCase[] = [
    // customData: malformed, wrongly typed, oversized
    reserveCase("customData that is not JSON", "MALFORMED_CUSTOM_DATA", () => reserveData("{not json")),
    reserveCase("customData cut short", "MALFORMED_CUSTOM_DATA", () => reserveData(stockList(line(1)).slice(0, -3))),
    reserveCase("customData that is a JSON array", "INVALID_CUSTOM_DATA", () => reserveData(`[${stockList(line(1))}]`)),
    reserveCase("customData that is a JSON string", "INVALID_CUSTOM_DATA", () => reserveData('"productStockList"')),
    reserveCase("customData that is a number", "INVALID_CUSTOM_DATA", () => reserveData("42")),
    reserveCase("customData that is null", "INVALID_CUSTOM_DATA", () => reserveData("null")),
    reserveCase("customData nested 4000 levels deep", "INVALID_CUSTOM_DATA", () => reserveData(deeplyNested(4000))),
    reserveCase("a line item nested 5000 levels deep", "INVALID_CUSTOM_DATA", () =>
      reserveData(`{"productStockList":[${deeplyNested(5000)}]}`),
    ),
    reserveCase("customData over 16 KiB", "INVALID_PARAMETER", () =>
      reserveData(JSON.stringify({ productStockList: [line(1)], padding: "x".repeat(16 * 1024) })),
    ),
    reserveCase("productStockList that is a string", "INVALID_CUSTOM_DATA", () =>
      reserveData(JSON.stringify({ productStockList: "311191" })),
    ),
    reserveCase("orderCount that is a string", "INVALID_CUSTOM_DATA", () => reserveData(stockList(line("1")))),
    reserveCase("productStockId that is a string", "INVALID_CUSTOM_DATA", () =>
      reserveData(stockList(line(1, "311191"))),
    ),
    reserveCase("a line without orderCount", "INVALID_CUSTOM_DATA", () =>
      reserveData(JSON.stringify({ productStockList: [{ productStockId: sku }] })),
    ),
    reserveCase("productInfoList with a non-string color", "INVALID_CUSTOM_DATA", () =>
      reserveData(JSON.stringify({ productInfoList: [{ productId: 219622, color: 1, size: "L", count: 1 }] })),
    ),
    reserveCase("51 line items", "INVALID_CUSTOM_DATA", () =>
      reserveData(stockList(...Array.from({ length: 51 }, () => line(1)))),
    ),
    reserveCase("no line items (both lists null)", "NO_LINE_ITEMS", () =>
      reserveData(JSON.stringify({ productInfoList: null, productStockList: null })),
    ),
    reserveCase("an empty productStockList", "NO_LINE_ITEMS", () => reserveData(stockList())),
    // counts
    reserveCase("a zero count", "INVALID_CUSTOM_DATA", () => reserveData(stockList(line(0)))),
    reserveCase("a negative count", "INVALID_CUSTOM_DATA", () => reserveData(stockList(line(-2)))),
    reserveCase("a fractional count", "INVALID_CUSTOM_DATA", () => reserveData(stockList(line(1.5)))),
    reserveCase("a count above 1000", "INVALID_CUSTOM_DATA", () => reserveData(stockList(line(1001)))),
    reserveCase("a huge count", "INVALID_CUSTOM_DATA", () => reserveData(stockList(line(1e300)))),
    reserveCase("a count beyond safe integers", "INVALID_CUSTOM_DATA", () =>
      reserveData('{"productStockList":[{"productStockId":311191,"orderCount":90071992547409930}]}'),
    ),
    reserveCase("same-SKU lines summing above 1000", "INVALID_COUNT", () =>
      reserveData(stockList(line(600), line(600))),
    ),
    reserveCase("a zero productInfoList count", "INVALID_CUSTOM_DATA", () =>
      reserveData(JSON.stringify({ productInfoList: [{ productId: 219622, color: "BLACK", size: "L", count: 0 }] })),
    ),
    // unknown SKUs
    reserveCase("an unknown productStockId", "UNKNOWN_SKU", () => reserveData(stockList(line(1), line(1, 999_999)))),
    reserveCase("an unknown productId + color + size", "UNKNOWN_SKU", () =>
      reserveData(JSON.stringify({ productInfoList: [{ productId: 219622, color: "PINK", size: "L", count: 1 }] })),
    ),
    reserveCase("a productStockId of 0", "INVALID_CUSTOM_DATA", () => reserveData(stockList(line(1, 0)))),
    // query parameters
    ...["storeId", "merchantId", "amount", "timestamp", "paymentOrderId", "customData"].map((name) =>
      reserveCase(`a missing ${name}`, "MISSING_PARAMETER", () => withoutParameter(name)),
    ),
    reserveCase("no query at all", "MISSING_PARAMETER", () => reserveWith("")),
    reserveCase("paymentOrderId given twice", "DUPLICATE_PARAMETER", () =>
      reserveWith(`${validQuery()}&paymentOrderId=bad-input-second`),
    ),
    reserveCase("customData given twice", "DUPLICATE_PARAMETER", () =>
      reserveWith(`${validQuery()}&customData=${encodeURIComponent(stockList(line(1)))}`),
    ),
    reserveCase("an empty customData", "INVALID_PARAMETER", () => reserveData("")),
    reserveCase("a paymentOrderId with a space", "INVALID_PARAMETER", () =>
      reserveWith(reserveQuery("bad id", stockList(line(1)))),
    ),
    reserveCase("a paymentOrderId with non-ASCII letters", "INVALID_PARAMETER", () =>
      reserveWith(reserveQuery("주문-1", stockList(line(1)))),
    ),
    reserveCase("a paymentOrderId with a slash", "INVALID_PARAMETER", () =>
      reserveWith(reserveQuery("a/b", stockList(line(1)))),
    ),
    reserveCase("a 65-character paymentOrderId", "INVALID_PARAMETER", () =>
      reserveWith(reserveQuery("p".repeat(65), stockList(line(1)))),
    ),
    reserveCase("an empty paymentOrderId", "INVALID_PARAMETER", () =>
      reserveWith(reserveQuery("", stockList(line(1)))),
    ),
    reserveCase("an amount that is not a number", "INVALID_PARAMETER", () =>
      reserveWith(reserveQuery("bad-input-new", stockList(line(1)), { amount: "1,500" })),
    ),
    reserveCase("a negative amount", "INVALID_PARAMETER", () =>
      reserveWith(reserveQuery("bad-input-new", stockList(line(1)), { amount: "-1500" })),
    ),
    reserveCase("a timestamp with dashes", "INVALID_PARAMETER", () =>
      reserveWith(reserveQuery("bad-input-new", stockList(line(1)), { timestamp: "2021-06-21" })),
    ),
    reserveCase(
      "a request target over the limit",
      "URI_TOO_LONG",
      () => reserveWith(reserveQuery("bad-input-new", stockList(line(1)), { storeId: "s".repeat(40_000) })),
      414,
    ),
    // state conflicts
    reserveCase(
      "a paymentOrderId reserved before",
      "DUPLICATE_PAYMENT_ORDER",
      () => reserveData(stockList(line(1)), existing),
      409,
    ),
    reserveCase(
      "the buyer's paymentOrderId, by another user",
      "DUPLICATE_PAYMENT_ORDER",
      () => reserveWith(reserveQuery(existing, stockList(line(1))), bearer(otherToken)),
      409,
    ),
    reserveCase("more than the stock", "OUT_OF_STOCK", () => reserveData(stockList(line(1000))), 409),
    // tokens
    reserveCase("no Authorization header", "INVALID_TOKEN", () => reserveWith(validQuery(), {}), 401),
    reserveCase(
      "a Basic Authorization header",
      "INVALID_TOKEN",
      () => reserveWith(validQuery(), { authorization: "Basic eDp5" }),
      401,
    ),
    reserveCase(
      "a token that is not a JWT",
      "INVALID_TOKEN",
      () => reserveWith(validQuery(), bearer("not-a-jwt")),
      401,
    ),
    reserveCase(
      "an expired token",
      "INVALID_TOKEN",
      async () =>
        reserveWith(validQuery(), bearer(await sign(tokenSecret, "HS256", Math.floor(Date.now() / 1000) - 60))),
      401,
    ),
    reserveCase(
      "a token signed with another key",
      "INVALID_TOKEN",
      async () => reserveWith(validQuery(), bearer(await sign("some-other-key"))),
      401,
    ),
    reserveCase(
      "an unsigned token (alg none)",
      "INVALID_TOKEN",
      () =>
        reserveWith(
          validQuery(),
          bearer(new UnsecuredJWT(claims()).setAudience([defaultAudience]).setExpirationTime("1h").encode()),
        ),
      401,
    ),
    reserveCase(
      "a token signed with HS512 and the right key",
      "INVALID_TOKEN",
      async () => reserveWith(validQuery(), bearer(await sign(tokenSecret, "HS512"))),
      401,
    ),
    reserveCase(
      "a token for another audience",
      "INVALID_TOKEN",
      async () =>
        reserveWith(
          validQuery(),
          bearer(await sign(tokenSecret, "HS256", Math.floor(Date.now() / 1000) + 3600, "elsewhere")),
        ),
      401,
    ),
    reserveCase(
      "a token with a tampered payload",
      "INVALID_TOKEN",
      () => {
        const [header, , signature] = token.split(".");
        const payload = Buffer.from(
          JSON.stringify({ ...claims(), user_name: "144603", aud: [defaultAudience], exp: 9_999_999_999 }),
        ).toString("base64url");
        return reserveWith(validQuery(), bearer(`${header}.${payload}.${signature}`));
      },
      401,
    ),
    // pay and cancel
    ...(["payOrder", "cancelOrder"] as const).flatMap((operationId): BadCase[] => {
      const method = operationId === "payOrder" ? "GET" : "DELETE";
      const path = (id: string) =>
        operationId === "payOrder" ? `/orders/payment/kcp/payResultTest/${id}` : `/orders/payment/cancel/${id}`;
      const call =
        (id: string, auth: () => Record<string, string> = () => bearer(token)) =>
        () =>
          http.send(method, path(id), { headers: auth() });
      return [
        {
          name: "another user's order",
          operationId,
          status: 404,
          code: "ORDER_NOT_FOUND",
          send: call(existing, () => bearer(otherToken)),
        },
        { name: "an unknown order", operationId, status: 404, code: "ORDER_NOT_FOUND", send: call("bad-input-nobody") },
        {
          name: "a paymentOrderId with a star",
          operationId,
          status: 400,
          code: "INVALID_PARAMETER",
          send: call("bad*id"),
        },
        {
          name: "a paymentOrderId with an encoded space",
          operationId,
          status: 400,
          code: "INVALID_PARAMETER",
          send: call("bad%20id"),
        },
        {
          name: "a 65-character paymentOrderId",
          operationId,
          status: 400,
          code: "INVALID_PARAMETER",
          send: call("p".repeat(65)),
        },
        { name: "no token", operationId, status: 401, code: "INVALID_TOKEN", send: call(existing, () => ({})) },
        {
          name: "a token signed with another key",
          operationId,
          status: 401,
          code: "INVALID_TOKEN",
          send: async () => http.send(method, path(existing), { headers: bearer(await sign("some-other-key")) }),
        },
      ];
    }),
    // the test-control API refuses bad stock settings without applying any of the items
    ...(
      [
        ["a body that is not JSON", 400, "INVALID_PARAMETER", "application/json", '{"items":['],
        ["no items", 400, "INVALID_PARAMETER", "application/json", '{"items":[]}'],
        [
          "a negative quantity after a valid item",
          400,
          "INVALID_PARAMETER",
          "application/json",
          JSON.stringify({
            items: [
              { productStockId: 800001, quantity: 5 },
              { productStockId: sku, quantity: -1 },
            ],
          }),
        ],
        [
          "a fractional quantity",
          400,
          "INVALID_PARAMETER",
          "application/json",
          JSON.stringify({ items: [{ productStockId: sku, quantity: 1.5 }] }),
        ],
        [
          "an unknown field",
          400,
          "INVALID_PARAMETER",
          "application/json",
          JSON.stringify({ items: [{ productStockId: sku, quantity: 1, held: 3 }] }),
        ],
        ["a form body", 415, "UNSUPPORTED_MEDIA_TYPE", "application/x-www-form-urlencoded", "productStockId=311191"],
        [
          "a body over 64 KiB",
          413,
          "PAYLOAD_TOO_LARGE",
          "application/json",
          JSON.stringify({ items: [{ productStockId: sku, quantity: 1, productName: "n".repeat(70_000) }] }),
        ],
      ] as const
    ).map(
      ([name, status, code, type, body]): BadCase => ({
        name,
        operationId: "setStock",
        status,
        code,
        send: () =>
          http.send("PUT", "/__admin/stock", { headers: { "x-admin-key": adminKey, "content-type": type }, body }),
      }),
    ),
  ];

  for (const bad of cases) {
    it(`${bad.operationId}: ${bad.name} → ${bad.status} ${bad.code}`, async () => {
      const before = await http.snapshot();
      const response = conforms(bad.operationId, await bad.send());
      expect(response.status, JSON.stringify(response.body)).toBe(bad.status);
      expect(response.body.code).toBe(bad.code);
      expect(String(response.body.detail).length).toBeGreaterThan(0);
      expect(headerProblems(bad.operationId, response.status, response.headers)).toEqual([]);
      const after = await http.snapshot();
      expect({ ...after.body, takenAt: null }).toEqual({ ...before.body, takenAt: null });
      expect(after.body.invariantHolds).toBe(true);
    });
  }

  it("still serves a valid request after all of the above, and only that one changes the stock", async () => {
    const before = await http.snapshot();
    const held = (before.body.skus as { productStockId: number; available: number }[]).find(
      (s) => s.productStockId === sku,
    );
    const response = await http.reserve(token, "bad-input-new", [{ productStockId: sku, orderCount: 1 }]);
    expect(response.status).toBe(200);
    const after = await http.snapshot();
    const now = (after.body.skus as { productStockId: number; available: number }[]).find(
      (s) => s.productStockId === sku,
    );
    expect(now?.available).toBe((held?.available ?? 0) - 1);
    expect((after.body.orders as unknown[]).length).toBe((before.body.orders as unknown[]).length + 1);
  });

  it("met no unexpected error on the way (a bug would have been a 500)", () => {
    expect(unexpected).toEqual([]);
  });
});
