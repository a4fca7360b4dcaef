import { cancelPath, payPath, reservePath } from "../../src/client/paths.js";
import { type LineItem, reserveQuery } from "../../src/client/reserve-query.js";
import type { Call } from "./transport.js";

const form = "application/x-www-form-urlencoded";
const bearer = (token: string | null): Record<string, string> =>
  token === null ? {} : { authorization: `Bearer ${token}` };

/** The API's calls as data, so the same call can go to the reference and to the MSW handlers. */
export const calls = {
  token: (fields: Record<string, string>): Call => ({
    operationId: "createToken",
    method: "POST",
    path: "/oauth/token",
    headers: { "content-type": form },
    body: new URLSearchParams({ client_id: "clientapp", client_secret: "secret", ...fields }).toString(),
  }),
  reserve: (token: string | null, paymentOrderId: string, items: readonly LineItem[]): Call =>
    calls.reserveQuery(token, new URLSearchParams(reserveQuery(items, { paymentOrderId, amount: "3000" }))),
  reserveQuery: (token: string | null, query: URLSearchParams): Call => ({
    operationId: "reserveStock",
    method: "GET",
    path: reservePath(query),
    headers: bearer(token),
  }),
  pay: (token: string | null, id: string): Call => ({
    operationId: "payOrder",
    method: "GET",
    path: payPath(id),
    headers: bearer(token),
  }),
  cancel: (token: string | null, id: string): Call => ({
    operationId: "cancelOrder",
    method: "DELETE",
    path: cancelPath(id),
    headers: bearer(token),
  }),
  snapshot: (key = "stockproof-admin"): Call => ({
    operationId: "getSnapshot",
    method: "GET",
    path: "/__admin/snapshot",
    headers: { "x-admin-key": key },
  }),
  setStock: (items: { productStockId: number; quantity: number }[]): Call => ({
    operationId: "setStock",
    method: "PUT",
    path: "/__admin/stock",
    headers: { "x-admin-key": "stockproof-admin", "content-type": "application/json" },
    body: JSON.stringify({ items }),
  }),
  reset: (): Call => ({
    operationId: "resetStore",
    method: "POST",
    path: "/__admin/reset",
    headers: { "x-admin-key": "stockproof-admin" },
  }),
};

/** What must be the same on both sides: status and the meaningful body fields, never ids or times. */
export function essence(response: { status: number; body: Record<string, unknown> }): Record<string, unknown> {
  const { body } = response;
  const picked: Record<string, unknown> = { status: response.status };
  for (const key of ["code", "error", "shortages", "unknownSkus", "token_type", "scope", "expires_in"]) {
    if (body[key] !== undefined) picked[key] = body[key];
  }
  if (typeof body.paymentOrderId === "string") {
    picked.order = {
      paymentOrderId: body.paymentOrderId,
      status: body.status,
      userName: body.userName,
      lines: body.lines,
      amount: body.amount,
    };
  }
  return picked;
}

/** Stock per SKU from a snapshot body. */
export function stockLevels(snapshot: Record<string, unknown>) {
  const skus = snapshot.skus as {
    productStockId: number;
    initial: number;
    available: number;
    held: number;
    paid: number;
  }[];
  return skus
    .map(({ productStockId, initial, available, held, paid }) => ({ productStockId, initial, available, held, paid }))
    .sort((a, b) => a.productStockId - b.productStockId);
}
