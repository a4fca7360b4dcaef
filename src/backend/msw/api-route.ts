/**
 * @module
 * Which requests the MSW handlers intercept, from the app's API base URL, and the request as the app sees it.
 */

import { specPaths } from "../generated/spec-paths.js";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The spec's paths as one alternation ("{paymentOrderId}" matches one segment). Requests to any
 * other path pass through MSW untouched, so the app's own modules and assets still load.
 */
const apiPaths = specPaths.map((path) => escapeRegExp(path).replace(/\\\{[^/]+?\\\}/g, "[^/]+")).join("|");
const anyOrigin = "[a-z][a-z0-9+.-]*://[^/]+";

const trimSlash = (path: string) => path.replace(/\/+$/, "");

export interface ApiRoute {
  /** Matched by MSW against the request URL without query or hash. */
  readonly pattern: RegExp;
  /** The path prefix removed before the request reaches the app ("" for none). */
  readonly prefix: string;
}

/**
 * Where the app under development sends API calls, as the handlers should intercept them:
 * an absolute URL ("http://localhost:8080", "https://shop.test/api") matches that origin and path;
 * a path ("/api") matches the page's origin in a browser and any origin in Node; "" (the default)
 * the root of any origin in Node and of the page's origin in a browser.
 */
export function apiRoute(baseUrl: string): ApiRoute {
  let origin: string;
  let prefix: string;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(baseUrl)) {
    const url = new URL(baseUrl);
    if (url.search !== "" || url.hash !== "") {
      throw new Error(`baseUrl ${baseUrl} has a query or fragment; give only the origin and path, e.g. ${url.origin}`);
    }
    origin = escapeRegExp(url.origin);
    prefix = trimSlash(url.pathname);
  } else if (baseUrl === "" || baseUrl.startsWith("/")) {
    origin = typeof location === "undefined" ? anyOrigin : escapeRegExp(location.origin);
    prefix = trimSlash(baseUrl);
  } else {
    throw new Error(
      `baseUrl ${JSON.stringify(baseUrl)} is neither an absolute URL nor a path; use e.g. "http://localhost:8080" or "/api"`,
    );
  }
  return { pattern: new RegExp(`^${origin}${escapeRegExp(prefix)}(?:${apiPaths})$`, "i"), prefix };
}

/** The request as the app expects it: the base path removed, everything else unchanged. */
export async function toAppRequest(request: Request, prefix: string): Promise<Request> {
  if (prefix === "") return request;
  const url = new URL(request.url);
  url.pathname = url.pathname.slice(prefix.length);
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(url, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? await request.arrayBuffer() : null,
  });
}
