/**
 * @module
 * The API's paths as the spec spells them, and the reserve, pay and cancel paths built from them.
 */

import type { paths } from "../../backend/generated/openapi.js";
import type { ReserveQuery } from "./reserve-query.js";

/** The API's paths as the spec spells them; each is a key of the generated `paths`, so a renamed route fails to compile. */
export const pathTemplates = {
  token: "/oauth/token",
  reserve: "/orders/payment/choice",
  pay: "/orders/payment/kcp/payResultTest/{paymentOrderId}",
  cancel: "/orders/payment/cancel/{paymentOrderId}",
  stock: "/__admin/stock",
  snapshot: "/__admin/snapshot",
  reset: "/__admin/reset",
  faults: "/__admin/faults",
  requests: "/__admin/requests",
} as const satisfies Record<string, keyof paths>;

// A function replacement: `$&` or `$1` in an id must not be read as a replacement pattern.
const withId = (template: string, paymentOrderId: string) =>
  template.replace("{paymentOrderId}", () => encodeURIComponent(paymentOrderId));

/**
 * Path and query of the reserve call.
 *
 * @example reservePath(reserveQuery([{ productStockId: 311191, orderCount: 1 }])) // "/orders/payment/choice?storeId=…"
 */
export function reservePath(query: ReserveQuery | URLSearchParams | string): string {
  const search = typeof query === "string" ? query : new URLSearchParams(query).toString();
  return `${pathTemplates.reserve}?${search}`;
}

/** Path of the fake payment result for an order, its id percent-encoded: payPath("a b") → ".../payResultTest/a%20b". */
export const payPath = (paymentOrderId: string): string => withId(pathTemplates.pay, paymentOrderId);

/** Path of the cancel call for an order, its id percent-encoded. */
export const cancelPath = (paymentOrderId: string): string => withId(pathTemplates.cancel, paymentOrderId);
