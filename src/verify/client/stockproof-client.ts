/**
 * @module
 * The typed client over openapi-fetch: logs in, keeps the tokens and sends them on the order calls.
 */

import createClient from "openapi-fetch";
import type { components, paths } from "../../backend/generated/openapi.js";
import { type ClientResult, type Fetch, type RawResult, settleCall } from "./call-result.js";
import { isProblem } from "./client-error.js";
import { pathTemplates } from "./paths.js";
import { type LineItem, type ReserveOptions, reserveQuery } from "./reserve-query.js";

export type { ClientResult } from "./call-result.js";

export interface StockproofClientOptions {
  /**
   * The API's base URL: "http://127.0.0.1:8080", or a path such as "/api", resolved against the
   * page's `location` where there is one (a browser, jsdom, happy-dom).
   */
  readonly baseUrl: string;
  /**
   * The app's OAuth client, sent as form fields by `login` and `refresh`; none is sent when absent.
   * The mock's demo client is `demoCredentials` of `stockproof-mock/msw`: no demo value is built in,
   * so none reaches a production bundle.
   */
  readonly clientId?: string | undefined;
  readonly clientSecret?: string | undefined;
  /** Key for the test-control API (`X-Admin-Key`); without one those calls are sent without it (401). */
  readonly adminKey?: string | undefined;
  /**
   * On an order call answered 401 INVALID_TOKEN (the access token expired), refresh once with the kept
   * refresh token and repeat the call once. Default false: the app sees the 401.
   */
  readonly autoRefresh?: boolean | undefined;
  /**
   * The fetch to use; default the global fetch, looked up on every call so that MSW's Node
   * interception applies even when the client was created before `server.listen()`.
   */
  readonly fetch?: Fetch | undefined;
}

type StockItem = components["schemas"]["SetStockRequest"]["items"][number];
type FaultRule = components["schemas"]["FaultRule"];

/** Options of one call. */
export interface CallOptions {
  /** A `Prefer` header: `"code=503"` answers the operation's declared 503 instead of running it (test control). */
  readonly prefer?: string;
}

const preferHeader = (call: CallOptions) => (call.prefer === undefined ? {} : { headers: { Prefer: call.prefer } });

/** A path resolved against the page (jsdom's and Node's Request do not resolve relative URLs themselves). */
function absoluteBase(baseUrl: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(baseUrl) || typeof location === "undefined") return baseUrl;
  return new URL(baseUrl, location.href).href;
}

/**
 * A typed client for the stockproof API (openapi-fetch over the generated `paths`). Every call
 * resolves to `{ data } | { error }` with the `response`, `error` always an object; only a network
 * failure rejects. `login` keeps the tokens and sends the access token on the order calls.
 *
 * @example
 *   const client = createStockproofClient({ baseUrl: "http://127.0.0.1:8080", clientId: "shop-web" });
 *   await client.login("buyer@example.com", "buyer-password");
 *   const { data, error } = await client.reserve([{ productStockId: 311191, orderCount: 1 }]);
 */
export function createStockproofClient(options: StockproofClientOptions) {
  const fetch: Fetch = (request) => (options.fetch ?? globalThis.fetch)(request);
  const api = createClient<paths>({ baseUrl: absoluteBase(options.baseUrl), fetch });
  let accessToken: string | undefined;
  let refreshToken: string | undefined;
  let refreshing: Promise<boolean> | undefined;
  const client = {
    ...(options.clientId === undefined ? {} : { client_id: options.clientId }),
    ...(options.clientSecret === undefined ? {} : { client_secret: options.clientSecret }),
  };
  const admin: Record<string, string> = options.adminKey === undefined ? {} : { "X-Admin-Key": options.adminKey };

  api.use({
    onRequest({ request, schemaPath }) {
      if (schemaPath.startsWith("/orders/") && accessToken !== undefined && !request.headers.has("authorization")) {
        request.headers.set("authorization", `Bearer ${accessToken}`);
      }
      return request;
    },
  });

  const requestToken = async (form: components["schemas"]["TokenRequest"]) => {
    const result = await settleCall(fetch, (fetch) =>
      api.POST(pathTemplates.token, {
        body: { ...form, ...client },
        headers: { "content-type": "application/x-www-form-urlencoded" },
        fetch,
      }),
    );
    if (result.data !== undefined) {
      accessToken = result.data.access_token;
      refreshToken = result.data.refresh_token;
    }
    return result;
  };
  const refresh = () => requestToken({ grant_type: "refresh_token", refresh_token: refreshToken ?? "" });

  /** One refresh for every call that found the token expired at once: a refresh token is single-use. */
  const refreshOnce = (): Promise<boolean> => {
    refreshing ??= refresh()
      .then((result) => result.data !== undefined)
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  };

  /** An order call; with autoRefresh, an expired access token is refreshed and the call repeated once. */
  const orderCall = async <D, E>(call: (fetch: Fetch) => Promise<RawResult<D, E>>): Promise<ClientResult<D, E>> => {
    const sentWith = accessToken;
    const result = await settleCall(fetch, call);
    const expired = result.response.status === 401 && isProblem(result.error) && result.error.code === "INVALID_TOKEN";
    if (options.autoRefresh !== true || !expired || refreshToken === undefined) return result;
    // Another call may have refreshed meanwhile: then only repeat with the new token.
    const renewed = accessToken !== sentWith || (await refreshOnce());
    return renewed ? settleCall(fetch, call) : result;
  };

  return {
    /** The underlying openapi-fetch client, for any operation with custom options (its `error` is the raw body: "" when empty). */
    api,
    /** The access token from the last successful login or refresh; undefined before. */
    get accessToken(): string | undefined {
      return accessToken;
    },
    /** Uses this access token from now on, e.g. one the app kept across a reload (undefined: send none). */
    useAccessToken(token: string | undefined): void {
      accessToken = token;
    },
    /** Password grant; on success the tokens are kept. */
    login: (username: string, password: string, scope?: string) =>
      requestToken({ grant_type: "password", username, password, ...(scope === undefined ? {} : { scope }) }),
    /** Refresh-token grant with the kept refresh token. */
    refresh,
    /** Reserves stock for the items, all or nothing (GET /orders/payment/choice with the seed's parameters). */
    reserve: (items: readonly LineItem[], reserveOptions: ReserveOptions = {}, call: CallOptions = {}) => {
      // Built once, so a repeat after a refresh sends the same paymentOrderId.
      const query = reserveQuery(items, reserveOptions);
      return orderCall((fetch) => api.GET(pathTemplates.reserve, { params: { query }, ...preferHeader(call), fetch }));
    },
    /** The fake payment-gateway result: RESERVED → PAID. */
    pay: (paymentOrderId: string, call: CallOptions = {}) =>
      orderCall((fetch) =>
        api.GET(pathTemplates.pay, { params: { path: { paymentOrderId } }, ...preferHeader(call), fetch }),
      ),
    /** RESERVED → CANCELLED, the stock comes back once. */
    cancel: (paymentOrderId: string, call: CallOptions = {}) =>
      orderCall((fetch) =>
        api.DELETE(pathTemplates.cancel, { params: { path: { paymentOrderId } }, ...preferHeader(call), fetch }),
      ),
    /** Test-control API: stock per SKU with the invariant, and every order. */
    snapshot: () => settleCall(fetch, (fetch) => api.GET(pathTemplates.snapshot, { headers: admin, fetch })),
    /** Test-control API: sets the stock of SKUs. */
    setStock: (items: readonly StockItem[]) =>
      settleCall(fetch, (fetch) =>
        api.PUT(pathTemplates.stock, { headers: admin, body: { items: [...items] }, fetch }),
      ),
    /** Test-control API: deletes every order and restores the catalog's stock. */
    reset: () => settleCall(fetch, (fetch) => api.POST(pathTemplates.reset, { headers: admin, fetch })),
    /** Test-control API: replaces the fault rules (delays, forced answers, cut connections). */
    setFaults: (rules: readonly FaultRule[]) =>
      settleCall(fetch, (fetch) =>
        api.PUT(pathTemplates.faults, { headers: admin, body: { rules: [...rules] }, fetch }),
      ),
    /** Test-control API: removes every fault rule. */
    clearFaults: () => settleCall(fetch, (fetch) => api.DELETE(pathTemplates.faults, { headers: admin, fetch })),
    /** Test-control API: the request journal, from `since` (RFC 3339) on when given. */
    requests: (since?: string) =>
      settleCall(fetch, (fetch) =>
        api.GET(pathTemplates.requests, {
          headers: admin,
          params: { query: since === undefined ? {} : { since } },
          fetch,
        }),
      ),
  };
}

export type StockproofClient = ReturnType<typeof createStockproofClient>;
