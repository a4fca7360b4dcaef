/**
 * @module
 * Refuses a request whose Host the server does not answer to, against DNS-rebinding pages.
 */

import type { MiddlewareHandler } from "hono";
import { type AllowedHosts, anyHost } from "../../../base/config/origins.js";
import { problemResponse, toProblem } from "../problems.js";
import { requestHeader } from "../request-header.js";

const ipv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** The host of a Host header value, lowercased, without port or trailing dot; "[::1]" keeps its brackets. */
export function hostOf(header: string): string {
  let host = header.trim().toLowerCase();
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    return end < 0 ? host : host.slice(0, end + 1);
  }
  const colon = host.lastIndexOf(":");
  if (colon >= 0) host = host.slice(0, colon);
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

/**
 * True when the server answers to `host`. Always: IP addresses (a DNS-rebinding page reaches the
 * server under a name of its own, never under an address), `localhost` and `*.localhost` (they
 * resolve to loopback and no one else can own them). Otherwise only what `allowed` lists.
 */
export function isAllowedHost(host: string, allowed: AllowedHosts): boolean {
  if (ipv4.test(host) || (host.startsWith("[") && host.endsWith("]"))) return true;
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  return allowed.some(
    (entry) =>
      entry === anyHost ||
      entry === host ||
      (entry.startsWith(".") && (host.endsWith(entry) || host === entry.slice(1))),
  );
}

/**
 * Refuses a request whose Host the server does not answer to (421 HOST_NOT_ALLOWED), before any
 * route runs. A page on evil.example whose name is re-pointed at 127.0.0.1 is same-origin with the
 * server as far as the browser knows; only its Host header gives it away. A request without Host
 * (HTTP/1.0 tools) cannot come from a browser and is let through.
 */
export function allowedHostsMiddleware(allowed: AllowedHosts): MiddlewareHandler {
  return async function allowedHosts(c, next) {
    const header = requestHeader(c, "host");
    if (header === undefined) return next();
    const host = hostOf(header);
    if (isAllowedHost(host, allowed)) return next();
    return problemResponse(
      toProblem(
        "HOST_NOT_ALLOWED",
        `This server does not answer to the host ${JSON.stringify(host)}: a web page may have pointed its own name at this machine (DNS rebinding). If you reach the server under this name on purpose, start it with --allowed-hosts ${host} (or STOCKPROOF_ALLOWED_HOSTS).`,
      ),
    );
  };
}
