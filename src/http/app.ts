import type { Context, MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { safeEqual } from "../auth/constant-time.js";
import type { OAuth } from "../auth/oauth.js";
import type { Principal, TokenService } from "../auth/tokens.js";
import type { components } from "../generated/openapi.js";
import type { StockService } from "../service/stock-service.js";
import { validateSchema } from "../spec/request-validators.js";
import { StoreBusyError } from "../store/port.js";
import { type CorsOrigins, corsMiddleware } from "./middleware/cors.js";
import { domainProblem, problemResponse, toProblem } from "./problems.js";
import { orderBody, snapshotBody } from "./representation.js";
import { requestHeader } from "./request-header.js";
import { checkParameters, parseReserveQuery, singleValuedQuery } from "./reserve-request.js";

export interface AppLimits {
  /** Longest request target accepted (414 beyond). */
  readonly maxUrlLength: number;
  /** Largest request body accepted (413 beyond). */
  readonly maxBodyBytes: number;
}

export const defaultLimits: AppLimits = { maxUrlLength: 32_768, maxBodyBytes: 65_536 };

export interface AppDeps {
  readonly service: StockService;
  readonly oauth: OAuth;
  readonly tokens: TokenService;
  /** The test-control API's key, or null when the API is disabled. */
  readonly adminKey: string | null;
  /** Browser origins allowed to call the API from another origin; absent or null: no CORS headers. */
  readonly cors?: CorsOrigins | null;
  readonly limits?: Partial<AppLimits>;
  /** Called with every unexpected error (a bug); the client gets a 500 problem. */
  readonly onUnexpected?: (error: unknown) => void;
}

type Env = { Variables: { principal: Principal } };

const requiredScope = "write";
const realm = 'Bearer realm="stockproof"';

function bearerProblem(detail: string, hasToken: boolean): Response {
  // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
  const challenge = hasToken
    ? `${realm}, error="invalid_token", error_description="${detail.replaceAll('"', "'")}"`
    : realm;
  return problemResponse(toProblem("INVALID_TOKEN", detail), { "www-authenticate": challenge });
}

async function readBody(
  c: Context,
  limit: number,
): Promise<{ ok: true; text: string } | { ok: false; response: Response }> {
  const declared = Number(requestHeader(c, "content-length") ?? "0");
  const tooLarge = () => ({
    ok: false as const,
    response: problemResponse(toProblem("PAYLOAD_TOO_LARGE", `The request body exceeds ${limit} bytes.`)),
  });
  if (declared > limit) return tooLarge();
  // Read chunk by chunk and stop at the limit: a body without Content-Length (chunked) must not be buffered whole.
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = c.req.raw.body?.getReader();
  while (reader !== undefined) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return tooLarge();
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return { ok: true, text: new TextDecoder().decode(bytes) };
}

function mediaTypeIs(c: Context, expected: string): boolean {
  return (requestHeader(c, "content-type") ?? "").split(";")[0]?.trim().toLowerCase() === expected;
}

/** The reference server's HTTP surface. It never listens; src/server does. */
export function createApp(deps: AppDeps): Hono<Env> {
  const limits: AppLimits = { ...defaultLimits, ...deps.limits };
  const app = new Hono<Env>();

  if (deps.cors) app.use(corsMiddleware(deps.cors));
  app.use(async (c, next) => {
    if (c.req.url.length > limits.maxUrlLength) {
      return problemResponse(
        toProblem("URI_TOO_LONG", `The request target exceeds ${limits.maxUrlLength} characters.`),
      );
    }
    await next();
  });

  app.post("/oauth/token", async (c) => {
    if (!mediaTypeIs(c, "application/x-www-form-urlencoded")) {
      return problemResponse(
        toProblem("UNSUPPORTED_MEDIA_TYPE", "POST /oauth/token takes application/x-www-form-urlencoded."),
      );
    }
    const body = await readBody(c, limits.maxBodyBytes);
    if (!body.ok) return body.response;
    const oauthError = (error: string, description: string) =>
      c.json({ error, error_description: description }, 400, { "cache-control": "no-store" });
    const form = singleValuedQuery(new URLSearchParams(body.text));
    if (!form.ok) return oauthError("invalid_request", form.problem.detail);
    const checked = validateSchema<Record<string, string>>("TokenRequest", form.value);
    if (!checked.ok) return oauthError("invalid_request", checked.errors.map((e) => e.message).join("; "));
    const outcome = await deps.oauth.token(checked.value, requestHeader(c, "authorization"));
    if (outcome.ok) return c.json(outcome.body, 200, { "cache-control": "no-store" });
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (outcome.status === 401) headers["www-authenticate"] = 'Basic realm="stockproof"';
    return c.json({ error: outcome.error, error_description: outcome.description }, outcome.status, headers);
  });

  const bearer: MiddlewareHandler<Env> = async (c, next) => {
    const header = requestHeader(c, "authorization");
    if (header === undefined) return bearerProblem("An access token is required (Authorization: Bearer …).", false);
    // RFC 6750 §2.1: "Bearer" 1*SP b64token, the scheme name case-insensitive (RFC 7235 §2.1).
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    if (match === null) return bearerProblem("The Authorization header is not a Bearer token.", true);
    const checked = await deps.tokens.verifyAccess(match[1] as string);
    if (!checked.ok) return bearerProblem(checked.reason, true);
    if (!checked.principal.scopes.includes(requiredScope)) {
      return problemResponse(toProblem("INSUFFICIENT_SCOPE", `This operation needs the scope ${requiredScope}.`), {
        "www-authenticate": `${realm}, error="insufficient_scope", scope="read write"`,
      });
    }
    c.set("principal", checked.principal);
    await next();
  };
  // Hono answers HEAD with the GET handler; on reserve and pay that would change stock for a
  // request that only asked for headers (a link checker, `curl -I`).
  app.use("/orders/*", async (c, next) => {
    if (c.req.method !== "HEAD") return next();
    return problemResponse(
      toProblem("METHOD_NOT_ALLOWED", `HEAD is not allowed on ${c.req.path}: it would change stock.`),
      {
        allow: c.req.path.startsWith("/orders/payment/cancel/") ? "DELETE" : "GET",
      },
    );
  });
  app.use("/orders/*", bearer);

  app.get("/orders/payment/choice", async (c) => {
    // Only the query is needed: cheaper than parsing the whole URL again.
    const url = c.req.url;
    const query = url.indexOf("?");
    const parsed = parseReserveQuery(new URLSearchParams(query < 0 ? "" : url.slice(query + 1)));
    if (!parsed.ok) return problemResponse(parsed.problem);
    const result = await deps.service.reserve(c.get("principal").userName, parsed.value);
    return result.ok ? c.json(orderBody(result.value)) : problemResponse(domainProblem(result.error));
  });

  const orderRoute = (operationId: "payOrder" | "cancelOrder", act: StockService["pay"]) => async (c: Context<Env>) => {
    const checked = checkParameters(operationId, "path", { paymentOrderId: c.req.param("paymentOrderId") ?? "" });
    if (!checked.ok) return problemResponse(checked.problem);
    const result = await act(c.get("principal").userName, checked.value.paymentOrderId as string);
    return result.ok ? c.json(orderBody(result.value)) : problemResponse(domainProblem(result.error));
  };
  app.get("/orders/payment/kcp/payResultTest/:paymentOrderId", orderRoute("payOrder", deps.service.pay));
  app.delete("/orders/payment/cancel/:paymentOrderId", orderRoute("cancelOrder", deps.service.cancel));

  app.use("/__admin/*", async (c, next) => {
    if (deps.adminKey === null)
      return problemResponse(toProblem("NOT_FOUND", `No route ${c.req.method} ${c.req.path}.`));
    const key = requestHeader(c, "x-admin-key");
    if (key === undefined || !safeEqual(key, deps.adminKey)) {
      return problemResponse(
        toProblem("ADMIN_KEY_REQUIRED", "The test-control API needs the right X-Admin-Key header."),
      );
    }
    await next();
  });
  app.get("/__admin/snapshot", (c) => c.json(snapshotBody(deps.service.snapshot())));
  app.post("/__admin/reset", (c) => c.json(snapshotBody(deps.service.reset())));
  app.put("/__admin/stock", async (c) => {
    if (!mediaTypeIs(c, "application/json")) {
      return problemResponse(toProblem("UNSUPPORTED_MEDIA_TYPE", "PUT /__admin/stock takes application/json."));
    }
    const body = await readBody(c, limits.maxBodyBytes);
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
    return c.json(snapshotBody(deps.service.setStock(checked.value.items)));
  });

  app.notFound((c) => problemResponse(toProblem("NOT_FOUND", `No route ${c.req.method} ${c.req.path}.`)));
  app.onError((error) => {
    if (error instanceof StoreBusyError) {
      return problemResponse(toProblem("STORE_BUSY", error.message), { "retry-after": "1" });
    }
    deps.onUnexpected?.(error);
    return problemResponse(toProblem("INTERNAL", "An unexpected error occurred; the change, if any, was rolled back."));
  });
  return app;
}
