/**
 * @module
 * Catalogue calls from browser pages: DNS-rebinding Hosts and foreign origins refused before any route runs.
 */

import type { CallCase, Given, SentRequest } from "../case.js";
import { reset, setStock, snapshot } from "./admin.js";
import { cancel, pay } from "./orders.js";
import { problem, reserve } from "./reserve.js";
import { login } from "./token.js";

/** A web page's view of the server: a rebinding page names its own host; a page on another port is another origin. */
const rebindingPage = { host: "evil.example", origin: "http://evil.example" };
const otherLoopbackPage = { origin: "http://localhost:3000" };

/** `base`'s request as a page would send it, answered with `expect` by a server that checks pages. */
function fromPage(base: CallCase, says: string, headers: Record<string, string>, expect: CallCase["expect"]): CallCase {
  return {
    ...base,
    says,
    needs: [...base.needs, "pageChecks"],
    depth: "edge",
    expect,
    async request(g: Given): Promise<SentRequest> {
      const request = await base.request(g);
      return { ...request, headers: { ...request.headers, ...headers } };
    },
  };
}

const hostNotAllowed = problem(421, "HOST_NOT_ALLOWED");
const originNotAllowed = problem(403, "ADMIN_ORIGIN_NOT_ALLOWED");

/** Every operation refuses a DNS-rebinding page before its route runs; the test-control API refuses other origins. */
export const pageCheckCases: readonly CallCase[] = [
  ...[login, reserve, pay, cancel, setStock, snapshot, reset].map((base) =>
    fromPage(base, "a page under another host name (DNS rebinding)", rebindingPage, hostNotAllowed),
  ),
  ...[setStock, snapshot, reset].map((base) =>
    fromPage(base, "a page of another loopback origin", otherLoopbackPage, originNotAllowed),
  ),
];
