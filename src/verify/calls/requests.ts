/**
 * @module
 * Builders of the requests catalogue calls send: auth headers, token form, reserve query, pay, cancel, admin.
 */

import { cancelPath, pathTemplates, payPath, reservePath } from "../client/paths.js";
import { type LineItem, type ReserveQuery, reserveParameters, stockLineData } from "../client/reserve-query.js";
import type { Method, SentRequest } from "./case.js";
import { fixedReserveFields } from "./settings.js";

const form = "application/x-www-form-urlencoded";

/** `Authorization: Bearer …`, or no header for null. */
export const bearer = (token: string | null): Record<string, string> =>
  token === null ? {} : { authorization: `Bearer ${token}` };

/** `Authorization: Basic …` for OAuth client credentials. */
export const basic = (id: string, secret: string): Record<string, string> => ({
  authorization: `Basic ${btoa(`${id}:${secret}`)}`,
});

export const sent = (
  method: Method,
  path: string,
  headers: Record<string, string> = {},
  body: string | null = null,
): SentRequest => ({ method, path, headers, body });

/** POST /oauth/token with exactly these form fields. */
export const tokenRequest = (fields: Readonly<Record<string, string>>, headers: Record<string, string> = {}) =>
  sent("POST", pathTemplates.token, { "content-type": form, ...headers }, new URLSearchParams(fields).toString());

/** The reserve call's query on the catalogue's fixed amount and day; `overrides` replace single parameters. */
export function catalogueReserveQuery(
  paymentOrderId: string,
  customData: string | Readonly<Record<string, unknown>>,
  overrides: Partial<ReserveQuery> = {},
): ReserveQuery {
  return { ...reserveParameters({ ...fixedReserveFields, paymentOrderId, customData }), ...overrides };
}

/** GET /orders/payment/choice with a query (as built above, or any text for malformed ones). */
export const reserveRequest = (
  token: string | null,
  query: ReserveQuery | URLSearchParams | string,
  headers: Record<string, string> = {},
) => sent("GET", reservePath(query), { ...bearer(token), ...headers });

/** A reservation of these lines under an id. */
export const reserveLines = (token: string | null, paymentOrderId: string, lines: readonly LineItem[]) =>
  reserveRequest(token, catalogueReserveQuery(paymentOrderId, stockLineData(lines)));

export const payRequest = (token: string | null, paymentOrderId: string) =>
  sent("GET", payPath(paymentOrderId), bearer(token));

export const cancelRequest = (token: string | null, paymentOrderId: string) =>
  sent("DELETE", cancelPath(paymentOrderId), bearer(token));

const adminHeaders = (key: string | null): Record<string, string> => (key === null ? {} : { "x-admin-key": key });

export const snapshotRequest = (key: string | null) => sent("GET", pathTemplates.snapshot, adminHeaders(key));

export const resetRequest = (key: string | null) => sent("POST", pathTemplates.reset, adminHeaders(key));

/** PUT /__admin/stock with a body as given (text) or the items to set. */
export const setStockRequest = (
  key: string | null,
  body: string | readonly { readonly productStockId: number; readonly quantity: number }[],
  contentType = "application/json",
) =>
  sent(
    "PUT",
    pathTemplates.stock,
    { ...adminHeaders(key), "content-type": contentType },
    typeof body === "string" ? body : JSON.stringify({ items: body }),
  );

/** PUT /__admin/faults with a body as given (text) or the rules to set. */
export const setFaultsRequest = (
  key: string | null,
  body: string | readonly unknown[],
  contentType = "application/json",
) =>
  sent(
    "PUT",
    pathTemplates.faults,
    { ...adminHeaders(key), "content-type": contentType },
    typeof body === "string" ? body : JSON.stringify({ rules: body }),
  );

export const clearFaultsRequest = (key: string | null) => sent("DELETE", pathTemplates.faults, adminHeaders(key));

/** GET /__admin/requests, with `since` as given. */
export const listRequestsRequest = (key: string | null, since?: string) =>
  sent(
    "GET",
    since === undefined ? pathTemplates.requests : `${pathTemplates.requests}?${new URLSearchParams({ since })}`,
    adminHeaders(key),
  );
