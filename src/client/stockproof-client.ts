import createClient from "openapi-fetch";
import type { components, paths } from "../generated/openapi.js";
import { settleError, type UnexpectedResponse } from "./client-error.js";
import { pathTemplates } from "./paths.js";
import { type LineItem, type ReserveOptions, reserveQuery } from "./reserve-query.js";

export interface StockproofClientOptions {
  /** The API's base URL: "http://127.0.0.1:8080", or a path such as "/api" in a browser. */
  readonly baseUrl: string;
  /** OAuth client credentials, sent as form fields; default the demo client clientapp / secret. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Key for the test-control API; default "stockproof-admin". */
  readonly adminKey?: string;
  /**
   * The fetch to use; default the global fetch, looked up on every call so that MSW's Node
   * interception applies even when the client was created before `server.listen()`.
   */
  readonly fetch?: (request: Request) => Promise<Response>;
}

type StockItem = components["schemas"]["SetStockRequest"]["items"][number];
type FaultRule = components["schemas"]["FaultRule"];

/** Options of one call. */
export interface CallOptions {
  /** A `Prefer` header: `"code=503"` answers the operation's declared 503 instead of running it (test control). */
  readonly prefer?: string;
}

const preferHeader = (call: CallOptions) => (call.prefer === undefined ? {} : { headers: { Prefer: call.prefer } });

/**
 * A call's outcome, as openapi-fetch's `{ data } | { error }` but with `error` always an object: the
 * spec's error body, or UnexpectedResponse when the body is not one (never openapi-fetch's raw "").
 */
export type ClientResult<D, E> =
  | { readonly data: D; readonly error?: never; readonly response: Response }
  | { readonly data?: never; readonly error: E | UnexpectedResponse; readonly response: Response };

type Raw<D, E> = { data: D; error?: never; response: Response } | { data?: never; error: E; response: Response };

async function settle<D, E>(call: Promise<Raw<D, E>>): Promise<ClientResult<D, E>> {
  const result = await call;
  if (result.response.ok) return { data: result.data as D, response: result.response };
  return { error: settleError<E>(result.error, result.response), response: result.response };
}

/**
 * A typed client for the stockproof API (openapi-fetch over the generated `paths`). Every call
 * resolves to openapi-fetch's `{ data } | { error }` with the `response`; `login` keeps the access
 * token and sends it on the order calls.
 *
 * @example
 *   const client = createStockproofClient({ baseUrl: "http://127.0.0.1:8080" });
 *   await client.login("buyer@example.com", "buyer-password");
 *   const { data, error } = await client.reserve([{ productStockId: 311191, orderCount: 1 }]);
 */
export function createStockproofClient(options: StockproofClientOptions) {
  const api = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: (request) => (options.fetch ?? globalThis.fetch)(request),
  });
  let accessToken: string | undefined;
  let refreshToken: string | undefined;
  const client = { client_id: options.clientId ?? "clientapp", client_secret: options.clientSecret ?? "secret" };
  const admin = { "X-Admin-Key": options.adminKey ?? "stockproof-admin" };

  api.use({
    onRequest({ request, schemaPath }) {
      if (schemaPath.startsWith("/orders/") && accessToken !== undefined && !request.headers.has("authorization")) {
        request.headers.set("authorization", `Bearer ${accessToken}`);
      }
      return request;
    },
  });

  const requestToken = async (form: components["schemas"]["TokenRequest"]) => {
    const result = await settle(
      api.POST(pathTemplates.token, {
        body: { ...form, ...client },
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
    );
    if (result.data !== undefined) {
      accessToken = result.data.access_token;
      refreshToken = result.data.refresh_token;
    }
    return result;
  };

  return {
    /** The underlying openapi-fetch client, for any operation with custom options (its `error` is the raw body: "" when empty). */
    api,
    /** The access token from the last successful login or refresh. */
    get accessToken(): string | undefined {
      return accessToken;
    },
    /** Uses this access token from now on (undefined: send none). */
    useAccessToken(token: string | undefined): void {
      accessToken = token;
    },
    /** Password grant; on success the tokens are kept. */
    login: (username: string, password: string, scope?: string) =>
      requestToken({ grant_type: "password", username, password, ...(scope === undefined ? {} : { scope }) }),
    /** Refresh-token grant with the kept refresh token. */
    refresh: () => requestToken({ grant_type: "refresh_token", refresh_token: refreshToken ?? "" }),
    /** Reserves stock for the items, all or nothing (GET /orders/payment/choice with the seed's parameters). */
    reserve: (items: readonly LineItem[], reserveOptions: ReserveOptions = {}, call: CallOptions = {}) =>
      settle(
        api.GET(pathTemplates.reserve, {
          params: { query: reserveQuery(items, reserveOptions) },
          ...preferHeader(call),
        }),
      ),
    /** The fake payment-gateway result: RESERVED → PAID. */
    pay: (paymentOrderId: string, call: CallOptions = {}) =>
      settle(api.GET(pathTemplates.pay, { params: { path: { paymentOrderId } }, ...preferHeader(call) })),
    /** RESERVED → CANCELLED, the stock comes back once. */
    cancel: (paymentOrderId: string, call: CallOptions = {}) =>
      settle(api.DELETE(pathTemplates.cancel, { params: { path: { paymentOrderId } }, ...preferHeader(call) })),
    /** Test-control API: stock per SKU with the invariant, and every order. */
    snapshot: () => settle(api.GET(pathTemplates.snapshot, { headers: admin })),
    /** Test-control API: sets the stock of SKUs. */
    setStock: (items: readonly StockItem[]) =>
      settle(api.PUT(pathTemplates.stock, { headers: admin, body: { items: [...items] } })),
    /** Test-control API: deletes every order and restores the catalog's stock. */
    reset: () => settle(api.POST(pathTemplates.reset, { headers: admin })),
    /** Test-control API: replaces the fault rules (delays, forced answers, cut connections). */
    setFaults: (rules: readonly FaultRule[]) =>
      settle(api.PUT(pathTemplates.faults, { headers: admin, body: { rules: [...rules] } })),
    /** Test-control API: removes every fault rule. */
    clearFaults: () => settle(api.DELETE(pathTemplates.faults, { headers: admin })),
    /** Test-control API: the request journal, from `since` (RFC 3339) on when given. */
    requests: (since?: string) =>
      settle(
        api.GET(pathTemplates.requests, { headers: admin, params: { query: since === undefined ? {} : { since } } }),
      ),
  };
}

export type StockproofClient = ReturnType<typeof createStockproofClient>;
