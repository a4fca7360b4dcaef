/**
 * @module
 * The one table from error code to HTTP status and title, and the problem+json answers built from it.
 */

import { type DomainError, describeDomainError } from "../domain/errors.js";
import type { components } from "../generated/openapi.js";

export type Problem = components["schemas"]["Problem"];
export type ProblemCode = components["schemas"]["ProblemCode"];

/** The one table from error code to HTTP status and title. */
export const problemTable: Record<ProblemCode, { status: number; title: string }> = {
  INVALID_PARAMETER: { status: 400, title: "Invalid parameter" },
  MISSING_PARAMETER: { status: 400, title: "Missing parameter" },
  DUPLICATE_PARAMETER: { status: 400, title: "Duplicate parameter" },
  MALFORMED_CUSTOM_DATA: { status: 400, title: "Malformed customData" },
  INVALID_CUSTOM_DATA: { status: 400, title: "Invalid customData" },
  NO_LINE_ITEMS: { status: 400, title: "No line items" },
  TOO_MANY_LINE_ITEMS: { status: 400, title: "Too many line items" },
  INVALID_COUNT: { status: 400, title: "Invalid count" },
  UNKNOWN_SKU: { status: 400, title: "Unknown SKU" },
  INVALID_TOKEN: { status: 401, title: "Invalid token" },
  INSUFFICIENT_SCOPE: { status: 403, title: "Insufficient scope" },
  ORDER_NOT_FOUND: { status: 404, title: "Order not found" },
  OUT_OF_STOCK: { status: 409, title: "Out of stock" },
  DUPLICATE_PAYMENT_ORDER: { status: 409, title: "Duplicate paymentOrderId" },
  ORDER_CANCELLED: { status: 409, title: "Order cancelled" },
  ORDER_EXPIRED: { status: 409, title: "Order expired" },
  ORDER_PAID: { status: 409, title: "Order paid" },
  URI_TOO_LONG: { status: 414, title: "URI too long" },
  PAYLOAD_TOO_LARGE: { status: 413, title: "Payload too large" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: "Unsupported media type" },
  SKU_CONFLICT: { status: 409, title: "SKU conflict" },
  ADMIN_KEY_REQUIRED: { status: 401, title: "Admin key required" },
  ADMIN_ORIGIN_NOT_ALLOWED: { status: 403, title: "Origin not allowed for the test-control API" },
  HOST_NOT_ALLOWED: { status: 421, title: "Host not allowed" },
  NOT_FOUND: { status: 404, title: "Not found" },
  METHOD_NOT_ALLOWED: { status: 405, title: "Method not allowed" },
  STORE_BUSY: { status: 503, title: "Store busy" },
  STORE_FULL: { status: 503, title: "Store full" },
  INTERNAL: { status: 500, title: "Internal error" },
};

const slug = (code: string) => code.toLowerCase().replaceAll("_", "-");

export function toProblem(code: ProblemCode, detail: string, extra: Partial<Problem> = {}): Problem {
  const { status, title } = problemTable[code];
  return { type: `urn:stockproof:problem:${slug(code)}`, title, status, code, detail, ...extra };
}

/** The problem for a domain refusal, carrying its structured details. */
export function domainProblem(error: DomainError): Problem {
  const detail = describeDomainError(error);
  switch (error.code) {
    case "OUT_OF_STOCK":
      return toProblem(error.code, detail, { shortages: [...error.shortages] });
    case "UNKNOWN_SKU":
      return toProblem(error.code, detail, { unknownSkus: [...error.unknown] });
    case "SKU_CONFLICT":
      return toProblem(error.code, detail, {
        conflictingSkus: [error.first.productStockId, error.second.productStockId],
      });
    default:
      return toProblem(error.code, detail);
  }
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", ...headers },
  });
}
