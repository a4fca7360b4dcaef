/**
 * @module
 * Keeps pages of other origins out of the test-control API, since the demo admin key is public.
 */

import type { MiddlewareHandler } from "hono";
import { problemResponse, toProblem } from "../problems.js";
import { requestHeader } from "../request-header.js";

export interface AdminOriginOptions {
  /** Origins listed one by one with `--cors` (never "loopback" or "*"): the only pages of another origin let in. */
  readonly origins: ReadonlySet<string>;
}

/** True when the page's origin names the host the request was sent to (same origin, or through the dev server's proxy). */
function sameOrigin(origin: string, host: string | undefined): boolean {
  if (host === undefined) return false;
  try {
    return new URL(origin).host === host.trim().toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Keeps pages of other origins out of the test-control API (403 ADMIN_ORIGIN_NOT_ALLOWED). The demo
 * key is public: were any loopback page allowed, a page on localhost:3000 could reset the store of
 * a server on :8080. A request without Origin (curl, the runner, Pact) is not a page and passes.
 */
export const adminOrigin = ({ origins }: AdminOriginOptions): MiddlewareHandler =>
  async function adminOrigin(c, next) {
    const origin = requestHeader(c, "origin");
    if (origin === undefined || origins.has(origin) || sameOrigin(origin, requestHeader(c, "host"))) return next();
    return problemResponse(
      toProblem(
        "ADMIN_ORIGIN_NOT_ALLOWED",
        `A page of ${origin} may not call the test-control API: its key is public on loopback. To reset or set stock from your app's page, start the server with --cors ${origin === "null" ? "ORIGIN" : origin} (each origin listed by itself; "loopback" and "*" do not count), or call it through your dev server's proxy.`,
      ),
    );
  };
