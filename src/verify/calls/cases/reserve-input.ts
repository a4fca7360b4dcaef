/**
 * @module
 * Catalogue calls of malformed reservations, each refused with its documented 4xx and code.
 */

import type { AnswerCode, CallCase, Given, Need, SentRequest } from "../case.js";
import { forged } from "../forged-tokens.js";
import { bearer, catalogueReserveQuery, reserveRequest } from "../requests.js";
import { invalidTokenChallenge, problem, reserveCall, unitData } from "./reserve.js";

/** customData text with these lines as productStockList; lines may be wrongly typed on purpose. */
const stockList = (...lines: unknown[]) => JSON.stringify({ productInfoList: null, productStockList: lines });
const line = (g: Given, orderCount: unknown, productStockId: unknown = g.settings.sku.productStockId) => ({
  productStockId,
  orderCount,
});
const deeplyNested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

type Build = (g: Given) => SentRequest | Promise<SentRequest>;

/** A refusal of bad input: a request that is invalid for the spec, the status (400 unless said) and code. */
const refused = (says: string, code: AnswerCode, request: Build, status = 400, needs: readonly Need[] = ["buyer"]) =>
  reserveCall({ says, needs, valid: false, depth: "edge", expect: problem(status, code), request });
/** A refusal of a well-formed request. */
const denied = (says: string, code: AnswerCode, request: Build, status: number, needs: readonly Need[] = ["buyer"]) =>
  reserveCall({ says, needs, depth: "edge", expect: problem(status, code), request });

const data = (text: (g: Given) => string) => (g: Given) =>
  reserveRequest(g.token, catalogueReserveQuery(g.id, text(g)));
const query = (build: (g: Given) => URLSearchParams | string) => (g: Given) => reserveRequest(g.token, build(g));
const params = (g: Given) => new URLSearchParams(catalogueReserveQuery(g.id, unitData(g)));
const without = (name: string) =>
  query((g) => {
    const q = params(g);
    q.delete(name);
    return q;
  });
const withParams = (overrides: Record<string, string>, id?: string) =>
  query((g) => new URLSearchParams(catalogueReserveQuery(id ?? g.id, stockList(line(g, 1)), overrides)));
const withId = (id: string) => query((g) => new URLSearchParams(catalogueReserveQuery(id, stockList(line(g, 1)))));
const asBearer = (token: (g: Given) => string | Promise<string>) => async (g: Given) =>
  reserveRequest(null, params(g), bearer(await token(g)));
const invalidToken = (
  says: string,
  token: (g: Given) => string | Promise<string>,
  needs: readonly Need[] = ["tokenSigning"],
) =>
  reserveCall({
    says,
    needs,
    depth: "edge",
    expect: problem(401, "INVALID_TOKEN", invalidTokenChallenge),
    request: asBearer(token),
  });

/** Every other way a reservation request can be wrong, each refused with its documented 4xx. */
export const reserveInputCases: readonly CallCase[] = [
  // customData: malformed, wrongly typed, oversized
  refused(
    "customData that is not JSON",
    "MALFORMED_CUSTOM_DATA",
    data(() => "{not json"),
  ),
  refused(
    "customData cut short",
    "MALFORMED_CUSTOM_DATA",
    data((g) => stockList(line(g, 1)).slice(0, -3)),
  ),
  refused(
    "customData that is a JSON array",
    "INVALID_CUSTOM_DATA",
    data((g) => `[${stockList(line(g, 1))}]`),
  ),
  refused(
    "customData that is a JSON string",
    "INVALID_CUSTOM_DATA",
    data(() => '"productStockList"'),
  ),
  refused(
    "customData that is a number",
    "INVALID_CUSTOM_DATA",
    data(() => "42"),
  ),
  refused(
    "customData that is null",
    "INVALID_CUSTOM_DATA",
    data(() => "null"),
  ),
  refused(
    "customData nested 4000 levels deep",
    "INVALID_CUSTOM_DATA",
    data(() => deeplyNested(4000)),
  ),
  refused(
    "a line item nested 5000 levels deep",
    "INVALID_CUSTOM_DATA",
    data(() => `{"productStockList":[${deeplyNested(5000)}]}`),
  ),
  refused(
    "customData over 16 KiB",
    "INVALID_PARAMETER",
    data((g) => JSON.stringify({ productStockList: [line(g, 1)], padding: "x".repeat(16 * 1024) })),
  ),
  refused(
    "productStockList that is a string",
    "INVALID_CUSTOM_DATA",
    data(() => JSON.stringify({ productStockList: "311191" })),
  ),
  refused(
    "orderCount that is a string",
    "INVALID_CUSTOM_DATA",
    data((g) => stockList(line(g, "1"))),
  ),
  refused(
    "productStockId that is a string",
    "INVALID_CUSTOM_DATA",
    data((g) => stockList(line(g, 1, String(g.settings.sku.productStockId)))),
  ),
  refused(
    "a line without orderCount",
    "INVALID_CUSTOM_DATA",
    data((g) => JSON.stringify({ productStockList: [{ productStockId: g.settings.sku.productStockId }] })),
  ),
  refused(
    "productInfoList with a non-string color",
    "INVALID_CUSTOM_DATA",
    data((g) =>
      JSON.stringify({
        productInfoList: [{ productId: g.settings.sku.productId, color: 1, size: g.settings.sku.size, count: 1 }],
      }),
    ),
  ),
  refused(
    "51 line items",
    "INVALID_CUSTOM_DATA",
    data((g) => stockList(...Array.from({ length: 51 }, () => line(g, 1)))),
  ),
  refused(
    "no line items (both lists null)",
    "NO_LINE_ITEMS",
    data(() => JSON.stringify({ productInfoList: null, productStockList: null })),
  ),
  refused(
    "an empty productStockList",
    "NO_LINE_ITEMS",
    data(() => stockList()),
  ),
  // counts
  refused(
    "a negative count",
    "INVALID_CUSTOM_DATA",
    data((g) => stockList(line(g, -2))),
  ),
  refused(
    "a fractional count",
    "INVALID_CUSTOM_DATA",
    data((g) => stockList(line(g, 1.5))),
  ),
  refused(
    "a count above 1000",
    "INVALID_CUSTOM_DATA",
    data((g) => stockList(line(g, 1001))),
  ),
  refused(
    "a huge count",
    "INVALID_CUSTOM_DATA",
    data((g) => stockList(line(g, 1e300))),
  ),
  refused(
    "a count beyond safe integers",
    "INVALID_CUSTOM_DATA",
    data(
      (g) =>
        `{"productStockList":[{"productStockId":${g.settings.sku.productStockId},"orderCount":90071992547409930}]}`,
    ),
  ),
  refused(
    "same-SKU lines summing above 1000",
    "INVALID_COUNT",
    data((g) => stockList(line(g, 600), line(g, 600))),
  ),
  refused(
    "a zero productInfoList count",
    "INVALID_CUSTOM_DATA",
    data((g) =>
      JSON.stringify({
        productInfoList: [
          { productId: g.settings.sku.productId, color: g.settings.sku.color, size: g.settings.sku.size, count: 0 },
        ],
      }),
    ),
  ),
  // unknown SKUs
  denied(
    "an unknown productStockId beside a known one",
    "UNKNOWN_SKU",
    data((g) => stockList(line(g, 1), line(g, 1, g.settings.unknownSku))),
    400,
  ),
  denied(
    "an unknown productId + color + size",
    "UNKNOWN_SKU",
    data((g) =>
      JSON.stringify({
        productInfoList: [{ productId: g.settings.sku.productId, color: "PINK", size: g.settings.sku.size, count: 1 }],
      }),
    ),
    400,
    ["buyer", "demoCatalog"],
  ),
  refused(
    "a productStockId of 0",
    "INVALID_CUSTOM_DATA",
    data((g) => stockList(line(g, 1, 0))),
  ),
  // query parameters
  ...["storeId", "merchantId", "amount", "timestamp", "paymentOrderId", "customData"].map((name) =>
    refused(`a missing ${name}`, "MISSING_PARAMETER", without(name)),
  ),
  refused(
    "no query at all",
    "MISSING_PARAMETER",
    query(() => ""),
  ),
  refused(
    "paymentOrderId given twice",
    "DUPLICATE_PARAMETER",
    query((g) => `${params(g)}&paymentOrderId=${g.id}-second`),
  ),
  refused(
    "customData given twice",
    "DUPLICATE_PARAMETER",
    query((g) => `${params(g)}&customData=${encodeURIComponent(stockList(line(g, 1)))}`),
  ),
  refused(
    "an empty customData",
    "INVALID_PARAMETER",
    data(() => ""),
  ),
  refused("a paymentOrderId with a space", "INVALID_PARAMETER", withId("bad id")),
  refused("a paymentOrderId with non-ASCII letters", "INVALID_PARAMETER", withId("주문-1")),
  refused("a paymentOrderId with a slash", "INVALID_PARAMETER", withId("a/b")),
  refused("a 65-character paymentOrderId", "INVALID_PARAMETER", withId("p".repeat(65))),
  refused("an empty paymentOrderId", "INVALID_PARAMETER", withId("")),
  refused("an amount with a comma", "INVALID_PARAMETER", withParams({ amount: "1,500" })),
  refused("a negative amount", "INVALID_PARAMETER", withParams({ amount: "-1500" })),
  refused("a timestamp with dashes", "INVALID_PARAMETER", withParams({ timestamp: "2021-06-21" })),
  // Prism's own HTTP server caps headers at 16 KiB, so this one cannot go through its proxy.
  refused("a request target over the limit", "URI_TOO_LONG", withParams({ storeId: "s".repeat(40_000) }), 414),
  // tokens
  reserveCall({
    says: "a Basic Authorization header",
    needs: [],
    valid: false,
    depth: "edge",
    expect: problem(401, "INVALID_TOKEN", invalidTokenChallenge),
    request: (g) => reserveRequest(null, params(g), { authorization: "Basic eDp5" }),
  }),
  invalidToken("a token that is not a JWT", () => "not-a-jwt", []),
  invalidToken("an expired token", (g) => forged.expired(g.signing)),
  invalidToken("a token signed with another key", (g) => forged.otherKey(g.signing)),
  invalidToken("an unsigned token (alg none)", (g) => forged.unsigned(g.signing)),
  invalidToken("a token signed with HS512 and the right key", (g) => forged.hs512(g.signing)),
  invalidToken("a token for another audience", (g) => forged.otherAudience(g.signing)),
  invalidToken("a token with a tampered payload", (g) => forged.tampered(g.token, g.signing), [
    "buyer",
    "tokenSigning",
  ]),
  // the store
  denied(
    "the store busy with another writer",
    "STORE_BUSY",
    data((g) => stockList(line(g, 1))),
    503,
    ["buyer", "storeBusy"],
  ),
];
