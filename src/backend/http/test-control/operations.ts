/**
 * @module
 * Which public operation a request calls, by method and path.
 */

import type { PublicOperation } from "../../test-control/declared-answer.js";

/** The public operation a request calls (by method and path, as the app routes it), or null. */
export function operationOf(method: string, path: string): PublicOperation | null {
  if (method === "POST" && path === "/oauth/token") return "createToken";
  if (method === "GET" && path === "/orders/payment/choice") return "reserveStock";
  if (method === "GET" && /^\/orders\/payment\/kcp\/payResultTest\/[^/]+$/.test(path)) return "payOrder";
  if (method === "DELETE" && /^\/orders\/payment\/cancel\/[^/]+$/.test(path)) return "cancelOrder";
  return null;
}
