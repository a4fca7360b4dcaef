/**
 * @module
 * The reference backend in memory behind MSW: the same Hono app, domain and errors as `stockproof serve`.
 */

import { type HttpHandler, http } from "msw";
import { assembleApp } from "../assemble.js";
import type { AccountInput, OAuthClient } from "../auth/accounts.js";
import { pbkdf2Hasher } from "../auth/pbkdf2-hasher.js";
import { catalogLevels, checkCatalog, demoCatalogLevels } from "../catalog/catalog-levels.js";
import { describeDomainError } from "../domain/errors.js";
import type { components } from "../generated/openapi.js";
import { snapshotBody } from "../http/representation.js";
import { cutConnectionKind } from "../http/test-control/cut-connection.js";
import { createMemoryStore } from "../store/memory.js";
import { apiRoute, toAppRequest } from "./api-route.js";
import { checkedStockItems } from "./checked-stock-items.js";
import { demoCredentials } from "./demo-credentials.js";
import { persistedStore, type StateStorage } from "./persisted-store.js";
import { type MockTestControl, mockTestControl } from "./test-control.js";

type Snapshot = components["schemas"]["Snapshot"];
type StockItem = components["schemas"]["SetStockRequest"]["items"][number];

export interface MockBackendOptions {
  /** Where the app sends API calls: "http://localhost:8080", "https://shop.test/api", or a path such as "/api". Default "": the root. */
  readonly baseUrl?: string;
  /** SKUs and stock (the spec's Catalog); default the demo catalog (311191: 50, 800001: 800, 800002: 1600). */
  readonly catalog?: components["schemas"]["Catalog"];
  /** Users for the password grant; default buyer@example.com / buyer-password and other@example.com / other-password. */
  readonly users?: readonly AccountInput[];
  /** OAuth clients; default clientapp / secret with scopes read and write. */
  readonly clients?: readonly OAuthClient[];
  /** Key for the test-control API (/__admin/*); null disables it. Default "stockproof-admin". */
  readonly adminKey?: string | null;
  readonly tokenSecret?: string;
  readonly accessTtlSeconds?: number;
  readonly refreshTtlSeconds?: number;
  /** Unpaid holds expire after this many milliseconds; default never. */
  readonly holdTtlMs?: number | null;
  /** Epoch milliseconds; inject one to move time in tests. */
  readonly clock?: () => number;
  /**
   * Keep the mock's state (stock, orders, spent refresh tokens, the token secret) in Web Storage, so a
   * full-page navigation — to a payment page and back — finds the order it left. `reset()` writes the
   * catalog's state back. Default: not kept, a reload starts from the catalog.
   *
   * @example persist: { storage: sessionStorage } // per tab; localStorage is shared by tabs, last write wins
   */
  readonly persist?: { readonly storage: StateStorage; readonly key?: string } | undefined;
  /** Called with unexpected errors (bugs), which answer 500; default console.error. */
  readonly onUnexpected?: (error: unknown) => void;
}

export interface MockBackend {
  /** MSW request handlers: pass them to setupServer (msw/node) or setupWorker (msw/browser). */
  readonly handlers: HttpHandler[];
  /** The API as a fetch function, without MSW (the request URL's path must start at the base path). */
  fetch(request: Request): Promise<Response>;
  /** Stock per SKU with the invariant, and every order (the same body as GET /__admin/snapshot). */
  snapshot(): Snapshot;
  /**
   * Sets the stock of SKUs, creating them when new (as PUT /__admin/stock). Throws, changing
   * nothing, on an item the API answers 400 for (the spec's SetStockRequest schema: a quantity of -3,
   * 1.5, NaN), naming it, and when two SKUs would share productId + color + size (409 SKU_CONFLICT).
   */
  setStock(items: readonly StockItem[]): Snapshot;
  /** Deletes every order and restores the catalog's stock (as POST /__admin/reset); clears the fault rules and the journal. */
  reset(): Snapshot;
  /** The fault rules (as PUT and DELETE /__admin/faults): `backend.faults.set([{ operationId: "reserveStock", status: 503, times: 1 }])`. */
  readonly faults: MockTestControl["faults"];
  /** The request journal (as GET /__admin/requests): the last requests, oldest first. */
  requests: MockTestControl["requests"];
}

/**
 * The reference backend in memory behind MSW: the same Hono app, domain, error table and token
 * logic as `stockproof serve`, over the in-memory store, so its answers are the reference's by construction.
 *
 * @example
 *   const backend = createMockBackend({ baseUrl: "http://localhost:8080" });
 *   const server = setupServer(...backend.handlers); // or setupWorker(...) in the browser
 *   afterEach(() => backend.reset());
 */
export function createMockBackend(options: MockBackendOptions = {}): MockBackend {
  const catalog =
    options.catalog === undefined
      ? demoCatalogLevels()
      : catalogLevels(checkCatalog(options.catalog, "options.catalog"));
  const clock = options.clock ?? Date.now;
  const kept =
    options.persist === undefined
      ? undefined
      : persistedStore(createMemoryStore(), {
          storage: options.persist.storage,
          key: options.persist.key ?? "stockproof-mock",
          catalog,
          tokenSecret: options.tokenSecret,
          clock,
          onWriteError: (error) =>
            console.warn(
              "stockproof mock: the state could not be kept in storage, so a reload will not find the latest changes (clear the storage, or call reset())",
              error,
            ),
        });
  const tokenSecret = kept?.tokenSecret ?? options.tokenSecret;
  const { app, service, testControl } = assembleApp({
    store: kept?.store ?? createMemoryStore(),
    catalog,
    passwords: pbkdf2Hasher,
    rules: { holdTtlMs: options.holdTtlMs ?? null },
    onUnexpected: options.onUnexpected ?? ((error) => console.error("stockproof mock: unexpected error", error)),
    ...(options.users === undefined ? {} : { users: options.users }),
    ...(options.clients === undefined ? {} : { clients: options.clients }),
    // The key demoCredentials names, whatever the server's own default becomes.
    adminKey: options.adminKey === undefined ? demoCredentials.adminKey : options.adminKey,
    ...(tokenSecret === undefined ? {} : { tokenSecret }),
    ...(options.accessTtlSeconds === undefined ? {} : { accessTtlSeconds: options.accessTtlSeconds }),
    ...(options.refreshTtlSeconds === undefined ? {} : { refreshTtlSeconds: options.refreshTtlSeconds }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const route = apiRoute(options.baseUrl ?? "");
  const fetch = async (request: Request) => {
    const response = await app.fetch(await toAppRequest(request, route.prefix));
    // A fault rule's cut connection: the page's fetch rejects, as it does when a server drops the socket.
    return cutConnectionKind(response) === null ? response : Response.error();
  };
  const control = mockTestControl(testControl);
  const withFaults = (snapshot: Snapshot): Snapshot =>
    testControl === null ? snapshot : { ...snapshot, faults: [...testControl.faults.list()] };
  return {
    handlers: [http.all(route.pattern, ({ request }) => fetch(request))],
    fetch,
    faults: control.faults,
    requests: control.requests,
    snapshot: () => withFaults(snapshotBody(service.snapshot())),
    setStock(items) {
      const set = service.setStock(checkedStockItems(items));
      if (!set.ok) throw new Error(`stockproof mock setStock: ${describeDomainError(set.error)}`);
      return withFaults(snapshotBody(set.value));
    },
    reset() {
      const snapshot = snapshotBody(service.reset());
      testControl?.reset();
      return withFaults(snapshot);
    },
  };
}

/**
 * MSW handlers implementing the stockproof API with reference semantics over an in-memory store.
 *
 * @example
 *   const worker = setupWorker(...createHandlers({ baseUrl: "/api" }));
 *   await worker.start();
 */
export function createHandlers(options: MockBackendOptions = {}): HttpHandler[] {
  return createMockBackend(options).handlers;
}
