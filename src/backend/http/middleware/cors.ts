/**
 * @module
 * CORS for browser apps on another origin, answered before authentication so problems stay readable.
 */

import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { anyOrigin, type CorsOrigins, isLoopbackOrigin, loopbackOrigins } from "../../../base/config/origins.js";
import { requestHeader } from "../request-header.js";

/**
 * CORS for browser apps served from another origin (a dev server on :5173 calling `serve` on :8080).
 * It runs before authentication, so a preflight (which carries no Authorization) is answered 204, and
 * its headers stay on every answer, problems included, so the page can read the problem's `code`.
 * Requests without an Origin header (curl, load runners) skip it entirely.
 */
export function corsMiddleware(origins: CorsOrigins): MiddlewareHandler {
  const exact = explicitOrigins(origins);
  const any = origins.includes(anyOrigin);
  const loopback = origins.includes(loopbackOrigins);
  const options = (allowHeaders: string[]) =>
    cors({
      origin: (origin) => (any || exact.has(origin) || (loopback && isLoopbackOrigin(origin)) ? origin : null),
      allowMethods: ["GET", "HEAD", "POST", "PUT", "DELETE"],
      allowHeaders,
      // Readable by the page: the Bearer challenge, the busy store's retry hint, and the methods a 405 allows.
      exposeHeaders: ["WWW-Authenticate", "Retry-After", "Allow"],
      maxAge: 600,
    });
  // X-Admin-Key and Prefer (a forced answer) only for origins listed one by one: the demo key is public (see admin-origin.ts).
  const listed = options(["Authorization", "Content-Type", "X-Admin-Key", "Prefer"]);
  const others = options(["Authorization", "Content-Type"]);
  return async (c, next) => {
    const origin = requestHeader(c, "origin");
    if (origin === undefined) return next();
    return (exact.has(origin) ? listed : others)(c, next);
  };
}

/** The origins listed one by one (not "loopback", not "*"): the only ones that may use the test-control API. */
export function explicitOrigins(origins: CorsOrigins | null | undefined): ReadonlySet<string> {
  return new Set((origins ?? []).filter((o) => o !== loopbackOrigins && o !== anyOrigin));
}
