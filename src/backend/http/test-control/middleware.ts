/**
 * @module
 * Test control on the public API: forced answers by `Prefer`, fault rules, and a journal of every request.
 */

import type { MiddlewareHandler } from "hono";
import { chooseAnswer, type PublicOperation } from "../../test-control/declared-answer.js";
import type { TestControl } from "../../test-control/index.js";
import { parsePrefer, preferenceApplied } from "../../test-control/prefer.js";
import { problemResponse, toProblem } from "../problems.js";
import { requestHeader } from "../request-header.js";
import { cutConnection, cutConnectionKind } from "./cut-connection.js";
import { forcedResponse } from "./forced-response.js";
import { operationOf } from "./operations.js";
import { requestFacts } from "./request-facts.js";

export interface TestControlMiddlewareOptions {
  readonly control: TestControl;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A Prefer header the operation cannot honour: 400, in the operation's own error format. */
function refusePrefer(operationId: PublicOperation, detail: string): Response {
  if (operationId === "createToken") {
    return new Response(JSON.stringify({ error: "invalid_request", error_description: detail }), {
      status: 400,
      headers: { "content-type": "application/json", "cache-control": "no-store" },
    });
  }
  return problemResponse(
    toProblem("INVALID_PARAMETER", detail, { errors: [{ path: "header.Prefer", message: detail }] }),
  );
}

/** The answer a Prefer header forces, the refusal of one it cannot, or undefined when it asks nothing. */
function preferred(operationId: PublicOperation, header: string): Response | undefined {
  const parsed = parsePrefer(header);
  if (!parsed.ok) return refusePrefer(operationId, parsed.detail);
  if (parsed.value.status === undefined && parsed.value.code === undefined) return undefined;
  const choice = chooseAnswer(operationId, parsed.value);
  if (!choice.ok) return refusePrefer(operationId, `Prefer: ${choice.detail}`);
  const applied = preferenceApplied({
    status: choice.value.status,
    ...(choice.value.code === null ? {} : { code: choice.value.code }),
  });
  return forcedResponse(choice.value, `Answer forced by Prefer: ${applied}`, { "preference-applied": applied });
}

/** The problem code (or OAuth error) of a refusal, read from a copy of its body. */
async function codeOf(response: Response): Promise<string | null> {
  if (response.status < 400 || !(response.headers.get("content-type") ?? "").includes("json")) return null;
  try {
    const body = (await response.clone().json()) as { code?: unknown; error?: unknown };
    const code = body.code ?? body.error;
    return typeof code === "string" ? code : null;
  } catch {
    return null;
  }
}

/**
 * Test control on the public API: a `Prefer` header forces a declared answer, the fault rules
 * delay, force or cut matching requests, and every request is journalled. The test-control API's
 * own requests pass untouched and unrecorded.
 */
export const testControlMiddleware = ({ control }: TestControlMiddlewareOptions): MiddlewareHandler =>
  async function testControl(c, next) {
    const path = c.req.path;
    if (path === "/__admin" || path.startsWith("/__admin/")) return next();
    const started = performance.now();
    const atMs = control.clock();
    const operationId = operationOf(c.req.method, path);
    const facts = requestFacts(operationId, c.req.url, path);
    let response: Response | undefined;
    let forcedBy: "prefer" | "fault" | null = null;
    let delayedMs: number | undefined;
    if (operationId !== null) {
      const prefer = requestHeader(c, "prefer");
      response = prefer === undefined ? undefined : preferred(operationId, prefer);
      if (response !== undefined) forcedBy = "prefer";
      const fault =
        response === undefined && control.offBecause === null
          ? control.faults.take({
              operationId,
              paymentOrderId: facts.paymentOrderId,
              productStockIds: facts.productStockIds,
            })
          : null;
      if (fault !== null) {
        if (fault.delayMs > 0) {
          await sleep(fault.delayMs);
          delayedMs = fault.delayMs;
        }
        if (fault.transport !== null) response = cutConnection(fault.transport);
        else if (fault.answer !== null) {
          response = forcedResponse(fault.answer, `Answer forced by fault rule ${fault.ruleId}`);
        }
        if (response !== undefined) forcedBy = "fault";
      }
    }
    if (response === undefined) {
      await next();
      response = c.res;
    }
    if (control.offBecause !== null) return response;
    const cut = cutConnectionKind(response) !== null;
    const paymentOrderId = facts.paymentOrderId();
    const lines = facts.lines();
    control.journal.record({
      atMs,
      method: c.req.method,
      path,
      operationId,
      status: cut ? 0 : response.status,
      code: cut ? null : await codeOf(response),
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      forcedBy,
      ...(delayedMs === undefined ? {} : { delayedMs }),
      ...(paymentOrderId === undefined ? {} : { paymentOrderId }),
      ...(lines === undefined ? {} : { lines: [...lines] }),
    });
    return response;
  };
