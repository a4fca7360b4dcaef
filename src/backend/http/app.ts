/**
 * @module
 * The reference server's HTTP surface as a Hono app: middleware, routes and the problem mapping; never listens.
 */

import type { Context } from "hono";
import { Hono } from "hono";
import type { AllowedHosts, CorsOrigins } from "../../base/config/origins.js";
import type { OAuth } from "../auth/oauth.js";
import type { TokenService } from "../auth/tokens.js";
import type { Order } from "../domain/types.js";
import type { components } from "../generated/openapi.js";
import { AfterCommitError, afterCommit } from "../service/after-commit.js";
import { ServiceBusyError, ServiceFullError } from "../service/busy.js";
import type { StockService, StockSnapshot } from "../service/stock-service.js";
import { validateSchema } from "../spec/request-validators.js";
import type { TestControl } from "../test-control/index.js";
import { adminKey } from "./middleware/admin-key.js";
import { adminOrigin } from "./middleware/admin-origin.js";
import { allowedHostsMiddleware } from "./middleware/allowed-hosts.js";
import { type BearerEnv, bearerAuth } from "./middleware/bearer-auth.js";
import { corsMiddleware, explicitOrigins } from "./middleware/cors.js";
import { mediaType } from "./middleware/media-type.js";
import { refuseHead } from "./middleware/refuse-head.js";
import { uriLimit } from "./middleware/uri-limit.js";
import { domainProblem, problemResponse, toProblem } from "./problems.js";
import { readBody } from "./read-body.js";
import { orderBody, snapshotBody } from "./representation.js";
import { requestHeader } from "./request-header.js";
import { checkParameters, parseReserveQuery, singleValuedQuery } from "./reserve-request.js";
import { testControlMiddleware } from "./test-control/middleware.js";
import { testControlRoutes } from "./test-control/routes.js";

/** What the server reports without a stack: the operator's to fix (a full disk) or a client's doing (a body cut off). */
export type IncidentCause = "store-full" | "aborted-body";

export interface AppLimits {
  /** Longest request target accepted (414 beyond). */
  readonly maxUrlLength: number;
  /** Largest request body accepted (413 beyond). */
  readonly maxBodyBytes: number;
}

/** A full disk is freed by a person, not by the next commit: clients wait longer than for a busy store. */
const storeFullRetrySeconds = 30;

export const defaultLimits: AppLimits = { maxUrlLength: 32_768, maxBodyBytes: 65_536 };

export interface AppDeps {
  readonly service: StockService;
  readonly oauth: OAuth;
  readonly tokens: TokenService;
  /** The test-control API's key, or null when the API is disabled. */
  readonly adminKey: string | null;
  /** Prefer, fault rules and the request journal; absent or null when the test-control API is off. */
  readonly testControl?: TestControl | null;
  /** Browser origins allowed to call the API from another origin; absent or null: no CORS headers. */
  readonly cors?: CorsOrigins | null;
  /**
   * Host names answered besides loopback names and IP addresses (allowed-hosts.ts); absent or null:
   * no Host check, and no Origin check of the test-control API (the MSW handlers, which run inside the page).
   */
  readonly allowedHosts?: AllowedHosts | null;
  readonly limits?: Partial<AppLimits>;
  /** Called with every unexpected error (a bug); the client gets a 500 problem. */
  readonly onUnexpected?: (error: unknown) => void;
  /** Called when the store is full or a client cut its body off: not bugs, so no stack; the server throttles them. */
  readonly onIncident?: (cause: IncidentCause, message: string) => void;
}

type App = Hono<BearerEnv>;

/** What the route groups share: the deps, the limits in force, and the test-control API if on. */
interface Wiring {
  readonly deps: AppDeps;
  readonly limits: AppLimits;
  readonly control: TestControl | null;
  readonly abortedBody: (message: string) => void;
}

/** The checks every request passes before any route, in this order. */
function useGuards(app: App, { deps, limits, control }: Wiring): void {
  // First of all: a page that re-pointed its own name at this machine reaches no route, not even /oauth/token.
  if (deps.allowedHosts) app.use(allowedHostsMiddleware(deps.allowedHosts));
  if (deps.cors) app.use(corsMiddleware(deps.cors));
  // Before the URI limit, so the journal also sees the requests refused for their length.
  if (control !== null) app.use(testControlMiddleware({ control }));
  app.use(uriLimit({ maxLength: limits.maxUrlLength }));
}

/** POST /oauth/token: a form body checked against the spec, answered in OAuth's own error shape. */
function tokenRoute(app: App, { deps, limits, abortedBody }: Wiring): void {
  const form = mediaType({
    type: "application/x-www-form-urlencoded",
    detail: "POST /oauth/token takes application/x-www-form-urlencoded.",
  });
  app.post("/oauth/token", form, async (c) => {
    const body = await readBody(c, limits.maxBodyBytes, abortedBody);
    if (!body.ok) return body.response;
    const oauthError = (error: string, description: string) =>
      c.json({ error, error_description: description }, 400, { "cache-control": "no-store" });
    const fields = singleValuedQuery(new URLSearchParams(body.text));
    if (!fields.ok) return oauthError("invalid_request", fields.problem.detail);
    const checked = validateSchema<Record<string, string>>("TokenRequest", fields.value);
    if (!checked.ok) return oauthError("invalid_request", checked.errors.map((e) => e.message).join("; "));
    const outcome = await deps.oauth.token(checked.value, requestHeader(c, "authorization"));
    if (outcome.ok) return c.json(outcome.body, 200, { "cache-control": "no-store" });
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (outcome.status === 401) headers["www-authenticate"] = 'Basic realm="stockproof"';
    return c.json({ error: outcome.error, error_description: outcome.description }, outcome.status, headers);
  });
}

// The service has committed the order's change by now: a failure to build the reply is reported as such.
function orderReply(c: Context<BearerEnv>, order: Order) {
  try {
    return c.json(orderBody(order));
  } catch (error) {
    throw new AfterCommitError(`order ${order.paymentOrderId} is ${order.status}`, error);
  }
}

/** The order routes, behind a bearer token with the write scope: reserve, pay, cancel. */
function orderRoutes(app: App, { deps }: Wiring): void {
  app.use(
    "/orders/*",
    refuseHead({ allow: (path) => (path.startsWith("/orders/payment/cancel/") ? "DELETE" : "GET") }),
  );
  app.use("/orders/*", bearerAuth({ tokens: deps.tokens, scope: "write" }));

  app.get("/orders/payment/choice", async (c) => {
    // Only the query is needed: cheaper than parsing the whole URL again.
    const url = c.req.url;
    const query = url.indexOf("?");
    const parsed = parseReserveQuery(new URLSearchParams(query < 0 ? "" : url.slice(query + 1)));
    if (!parsed.ok) return problemResponse(parsed.problem);
    const result = await deps.service.reserve(c.get("principal").userName, parsed.value);
    return result.ok ? orderReply(c, result.value) : problemResponse(domainProblem(result.error));
  });

  const orderRoute =
    (operationId: "payOrder" | "cancelOrder", act: StockService["pay"]) => async (c: Context<BearerEnv>) => {
      const checked = checkParameters(operationId, "path", { paymentOrderId: c.req.param("paymentOrderId") ?? "" });
      if (!checked.ok) return problemResponse(checked.problem);
      const result = await act(c.get("principal").userName, checked.value.paymentOrderId as string);
      return result.ok ? orderReply(c, result.value) : problemResponse(domainProblem(result.error));
    };
  app.get("/orders/payment/kcp/payResultTest/:paymentOrderId", orderRoute("payOrder", deps.service.pay));
  app.delete("/orders/payment/cancel/:paymentOrderId", orderRoute("cancelOrder", deps.service.cancel));
}

/** The test-control API under /__admin, behind its key (and, on a networked server, the page's origin). */
function adminRoutes(app: App, { deps, limits, control, abortedBody }: Wiring): void {
  // Like the Host check, only on a server a page reaches over the network: the MSW handlers run inside the page.
  if (deps.allowedHosts && deps.adminKey !== null) {
    app.use("/__admin/*", adminOrigin({ origins: explicitOrigins(deps.cors) }));
  }
  app.use("/__admin/*", adminKey({ key: deps.adminKey }));
  // The snapshot lists the fault rules in force beside the stock, when there are test-control features.
  const snapshotReply = (snapshot: StockSnapshot) => ({
    ...snapshotBody(snapshot),
    ...(control === null || control.offBecause !== null ? {} : { faults: [...control.faults.list()] }),
  });
  app.get("/__admin/snapshot", (c) => c.json(snapshotReply(deps.service.snapshot())));
  app.post("/__admin/reset", (c) => {
    const snapshot = deps.service.reset();
    control?.reset();
    return afterCommit("the reset", () => c.json(snapshotReply(snapshot)));
  });
  if (control !== null) testControlRoutes(app, { control, maxBodyBytes: limits.maxBodyBytes });
  const json = mediaType({ type: "application/json", detail: "PUT /__admin/stock takes application/json." });
  app.put("/__admin/stock", json, async (c) => {
    const body = await readBody(c, limits.maxBodyBytes, abortedBody);
    if (!body.ok) return body.response;
    let data: unknown;
    try {
      data = JSON.parse(body.text);
    } catch (error) {
      return problemResponse(toProblem("INVALID_PARAMETER", `The body is not valid JSON: ${(error as Error).message}`));
    }
    const checked = validateSchema<components["schemas"]["SetStockRequest"]>("SetStockRequest", data, "body");
    if (!checked.ok) {
      const detail = checked.errors.map((e) => e.message).join("; ");
      return problemResponse(toProblem("INVALID_PARAMETER", detail, { errors: checked.errors }));
    }
    const set = deps.service.setStock(checked.value.items);
    if (!set.ok) return problemResponse(domainProblem(set.error));
    return afterCommit("the stock change", () => c.json(snapshotReply(set.value)));
  });
}

/** An error that reached no route's own answer, as a problem: busy and full are the store's, the rest a bug. */
function errorAnswer(error: Error, deps: AppDeps): Response {
  if (error instanceof ServiceBusyError) {
    return problemResponse(toProblem("STORE_BUSY", error.message), { "retry-after": "1" });
  }
  if (error instanceof ServiceFullError) {
    deps.onIncident?.("store-full", error.message);
    return problemResponse(toProblem("STORE_FULL", `${error.message} Retry once space has been freed.`), {
      "retry-after": String(storeFullRetrySeconds),
    });
  }
  deps.onUnexpected?.(error);
  // Only an error raised before COMMIT was rolled back (the store's contract); after it, the change stands.
  if (error instanceof AfterCommitError) {
    return problemResponse(
      toProblem(
        "INTERNAL",
        `An unexpected error occurred after the change was committed (${error.committed}); it was not rolled back.`,
      ),
    );
  }
  return problemResponse(toProblem("INTERNAL", "An unexpected error occurred; the change, if any, was rolled back."));
}

/** The reference server's HTTP surface. It never listens; src/backend/server does. */
export function createApp(deps: AppDeps): Hono<BearerEnv> {
  const app = new Hono<BearerEnv>();
  const wiring: Wiring = {
    deps,
    limits: { ...defaultLimits, ...deps.limits },
    control: deps.testControl ?? null,
    abortedBody: (message) => deps.onIncident?.("aborted-body", message),
  };
  useGuards(app, wiring);
  tokenRoute(app, wiring);
  orderRoutes(app, wiring);
  adminRoutes(app, wiring);
  app.notFound((c) => problemResponse(toProblem("NOT_FOUND", `No route ${c.req.method} ${c.req.path}.`)));
  app.onError((error) => errorAnswer(error, deps));
  return app;
}
