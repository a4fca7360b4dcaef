import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { requestHeader } from "../request-header.js";

/**
 * Which browser origins may call the API: "loopback" (http(s)://localhost, 127.x.x.x or [::1] on any
 * port — a dev server such as Vite's), "*" (any origin), or exact origins such as "https://staging.shop.test".
 */
export type CorsOrigins = readonly string[];

export const loopbackOrigins = "loopback";
export const anyOrigin = "*";

const loopbackHost = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** True for http(s) origins on a loopback host, whatever the port. */
export function isLoopbackOrigin(origin: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return (url.protocol === "http:" || url.protocol === "https:") && loopbackHost.test(url.hostname);
}

/**
 * Checks one `--cors` entry: "loopback", "*", or an origin (scheme://host[:port], no path).
 * Returns the entry as the middleware compares it, or throws a message naming the fix.
 */
export function parseCorsOrigin(entry: string): string {
  const text = entry.trim();
  if (text === loopbackOrigins || text === anyOrigin) return text;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    (url.protocol !== "http:" && url.protocol !== "https:") ||
    url.origin !== text.replace(/\/$/, "")
  ) {
    throw new Error(
      `--cors: ${JSON.stringify(text)} is not an origin; give scheme://host[:port] without a path (e.g. http://localhost:5173), "loopback" or "*"`,
    );
  }
  return url.origin;
}

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
