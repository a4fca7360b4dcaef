/**
 * @module
 * Catalogue calls of reserve (success, sold out, duplicates, tokens), with the helpers other cases build on.
 */

import { stockLineData } from "../../client/reserve-query.js";
import { type AnswerCode, type CallCase, call, type Expected, type Given } from "../case.js";
import { forged } from "../forged-tokens.js";
import { catalogueReserveQuery, reserveLines, reserveRequest } from "../requests.js";
import { seedCustomData, seedQuery } from "./seed-sample.js";

type Input = Omit<CallCase, "operationId" | "needs" | "valid" | "depth"> & Partial<CallCase>;
/** A reservation by the buyer unless `needs` says otherwise. */
export const reserveCall = (input: Input) => call({ operationId: "reserveStock", needs: ["buyer"], ...input });

export const problem = (status: number, code: AnswerCode, headers?: Expected["headers"]): Expected =>
  headers === undefined ? { status, code } : { status, code, headers };
/** RFC 6750 §3.1: no credentials get a bare challenge, bad credentials one naming the error. */
export const bareChallenge = { "www-authenticate": /^Bearer realm="stockproof"$/ };
export const invalidTokenChallenge = { "www-authenticate": /error="invalid_token"/ };
export const scopeChallenge = { "www-authenticate": /error="insufficient_scope"/ };

/** One line of the settings' SKU. */
export const oneUnit = (g: Given, orderCount = 1) => [unitLine(g, orderCount)];
const unitLine = (g: Given, orderCount: number) => ({ productStockId: g.settings.sku.productStockId, orderCount });
export const unitData = (g: Given, orderCount = 1) => stockLineData(oneUnit(g, orderCount));
const byInfo = (g: Given) => ({
  productStockList: null,
  productInfoList: [
    { productId: g.settings.sku.productId, color: g.settings.sku.color, size: g.settings.sku.size, count: 1 },
  ],
});

/** One unit of the settings' SKU under a fresh id. */
export const reserve = reserveCall({
  says: "reserve",
  expect: { status: 200 },
  request: (g) => reserveLines(g.token, g.id, oneUnit(g)),
});

/** More units than the SKU has. */
export const outOfStock = reserveCall({
  says: "out of stock",
  expect: problem(409, "OUT_OF_STOCK"),
  request: (g) => reserveLines(g.token, g.id, oneUnit(g, 1000)),
});

export const reserveCases: readonly CallCase[] = [
  reserve,
  reserveCall({
    says: "reserve by productInfoList",
    expect: { status: 200 },
    request: (g) => reserveRequest(g.token, catalogueReserveQuery(g.id, byInfo(g))),
  }),
  reserveCall({
    says: "the seed's own sample request (amount 1500 vs finalAmount 3000, full customData)",
    needs: ["buyer", "demoCatalog"],
    expect: { status: 200 },
    request: (g) => reserveRequest(g.token, seedQuery(g.id, seedCustomData)),
  }),
  reserveCall({
    says: "duplicate paymentOrderId",
    needs: ["buyer", "reserved"],
    expect: problem(409, "DUPLICATE_PAYMENT_ORDER"),
    request: (g) => reserveLines(g.token, g.order, oneUnit(g)),
  }),
  reserveCall({
    says: "the buyer's paymentOrderId, by another user",
    needs: ["other", "reserved"],
    expect: problem(409, "DUPLICATE_PAYMENT_ORDER"),
    request: (g) => reserveLines(g.otherToken, g.order, oneUnit(g)),
  }),
  outOfStock,
  reserveCall({
    says: "a cart short on one SKU takes nothing",
    needs: ["buyer", "demoCatalog"],
    expect: problem(409, "OUT_OF_STOCK"),
    request: (g) => reserveLines(g.token, g.id, [{ productStockId: 800001, orderCount: 2 }, ...oneUnit(g, 1000)]),
  }),
  reserveCall({
    says: "unknown SKU",
    expect: problem(400, "UNKNOWN_SKU"),
    request: (g) => reserveLines(g.token, g.id, [{ productStockId: g.settings.unknownSku, orderCount: 1 }]),
  }),
  reserveCall({
    says: "customData not JSON",
    valid: false,
    expect: problem(400, "MALFORMED_CUSTOM_DATA"),
    request: (g) => reserveRequest(g.token, catalogueReserveQuery(g.id, '{"productStockList":')),
  }),
  reserveCall({
    says: "orderCount 0",
    valid: false,
    expect: problem(400, "INVALID_CUSTOM_DATA"),
    request: (g) => reserveLines(g.token, g.id, oneUnit(g, 0)),
  }),
  reserveCall({
    says: "no line items",
    valid: false,
    expect: problem(400, "NO_LINE_ITEMS"),
    request: (g) => reserveLines(g.token, g.id, []),
  }),
  reserveCall({
    says: "too many line items",
    valid: false,
    expect: problem(400, "INVALID_CUSTOM_DATA"),
    request: (g) =>
      reserveLines(
        g.token,
        g.id,
        Array.from({ length: 51 }, () => unitLine(g, 1)),
      ),
  }),
  reserveCall({
    says: "amount not a number",
    valid: false,
    expect: problem(400, "INVALID_PARAMETER"),
    request: (g) => reserveRequest(g.token, catalogueReserveQuery(g.id, unitData(g), { amount: "12,5" })),
  }),
  reserveCall({
    says: "merchantId missing",
    valid: false,
    expect: problem(400, "MISSING_PARAMETER"),
    request: (g) => {
      const query = new URLSearchParams(catalogueReserveQuery(g.id, unitData(g)));
      query.delete("merchantId");
      return reserveRequest(g.token, query);
    },
  }),
  reserveCall({
    says: "storeId twice",
    valid: false,
    expect: problem(400, "DUPLICATE_PARAMETER"),
    request: (g) => {
      const query = new URLSearchParams(catalogueReserveQuery(g.id, unitData(g)));
      query.append("storeId", "other");
      return reserveRequest(g.token, query);
    },
  }),
  reserveCall({
    says: "no token",
    needs: [],
    valid: false,
    expect: problem(401, "INVALID_TOKEN", bareChallenge),
    request: (g) => reserveLines(null, g.id, oneUnit(g)),
  }),
  reserveCall({
    says: "malformed token",
    needs: [],
    expect: problem(401, "INVALID_TOKEN", invalidTokenChallenge),
    request: (g) => reserveLines("not.a.jwt", g.id, oneUnit(g)),
  }),
  reserveCall({
    says: "token with a wrong signature",
    expect: problem(401, "INVALID_TOKEN", invalidTokenChallenge),
    request: (g) => reserveLines(forged.wrongSignature(g.token), g.id, oneUnit(g)),
  }),
  reserveCall({
    says: "read-only token",
    needs: ["readOnly"],
    expect: problem(403, "INSUFFICIENT_SCOPE", scopeChallenge),
    request: (g) => reserveLines(g.readToken, g.id, oneUnit(g)),
  }),
];
