/**
 * @module
 * Turns the reserve call's query into a domain request, or the problem that says why it cannot.
 */

import type { LineRequest } from "../domain/types.js";
import type { components } from "../generated/openapi.js";
import type { ReserveRequest } from "../service/stock-service.js";
import { type OperationId, validateParameters, validateSchema } from "../spec/request-validators.js";
import { type Problem, toProblem } from "./problems.js";

type CustomData = components["schemas"]["CustomData"];

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem };

/** Reads query parameters into a record, refusing a parameter given twice (the value would be ambiguous). */
export function singleValuedQuery(params: URLSearchParams): Parsed<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const [name, value] of params) {
    if (Object.hasOwn(values, name)) {
      return {
        ok: false,
        problem: toProblem("DUPLICATE_PARAMETER", `Query parameter ${name} is given more than once.`),
      };
    }
    values[name] = value;
  }
  return { ok: true, value: values };
}

/** Checks parameters of one location against the spec; missing ones get their own code. */
export function checkParameters(
  operationId: OperationId,
  location: "query" | "path",
  values: Record<string, string>,
): Parsed<Record<string, string>> {
  const checked = validateParameters(operationId, location, values);
  if (checked.ok) return checked;
  const missing = checked.errors.filter((e) => e.message.endsWith("is required"));
  const code = missing.length === checked.errors.length ? "MISSING_PARAMETER" : "INVALID_PARAMETER";
  const detail = checked.errors.map((e) => e.message.replace(/^(query|path)\./, `${location} parameter `)).join("; ");
  return { ok: false, problem: toProblem(code, detail, { errors: checked.errors }) };
}

/** Line items: productStockList when it is given, else productInfoList. */
function linesOf(data: CustomData): LineRequest[] {
  if (data.productStockList !== null && data.productStockList !== undefined) {
    return data.productStockList.map((l) => ({ kind: "stock", productStockId: l.productStockId, count: l.orderCount }));
  }
  return (data.productInfoList ?? []).map((l) => ({
    kind: "product",
    productId: l.productId,
    color: l.color,
    size: l.size,
    count: l.count,
  }));
}

/** Turns the reserve operation's query into a domain request, or the problem that explains why not. */
export function parseReserveQuery(params: URLSearchParams): Parsed<ReserveRequest> {
  const query = singleValuedQuery(params);
  if (!query.ok) return query;
  const checked = checkParameters("reserveStock", "query", query.value);
  if (!checked.ok) return checked;
  const { customData, paymentOrderId, amount } = checked.value as Record<string, string>;

  let decoded: unknown;
  try {
    decoded = JSON.parse(customData as string);
  } catch (error) {
    return {
      ok: false,
      problem: toProblem("MALFORMED_CUSTOM_DATA", `customData is not valid JSON: ${(error as Error).message}`),
    };
  }
  const data = validateSchema<CustomData>("CustomData", decoded, "customData");
  if (!data.ok) {
    const detail =
      decoded === null || typeof decoded !== "object" || Array.isArray(decoded)
        ? "customData must be a JSON object."
        : data.errors.map((e) => e.message).join("; ");
    return { ok: false, problem: toProblem("INVALID_CUSTOM_DATA", detail, { errors: data.errors }) };
  }
  return {
    ok: true,
    value: { paymentOrderId: paymentOrderId as string, amount: amount as string, lines: linesOf(data.value) },
  };
}
