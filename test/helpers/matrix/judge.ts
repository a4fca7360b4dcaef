import { expect } from "vitest";
import { validateResponse } from "../../../src/backend/spec/validators.js";
import { type CallCase, caseName, type ReceivedResponse } from "../../../src/verify/calls/index.js";
import { headerProblems } from "../spec-headers.js";

type Json = Record<string, unknown>;

/** The body as a JSON object ({} when it is not one), for reading fields in assertions. */
export const json = (response: ReceivedResponse): Json =>
  response.body !== null && typeof response.body === "object" ? (response.body as Json) : {};

/**
 * Asserts that a response is what the catalogue says the reference answers to the call: its status
 * and code, a body and headers that conform to the spec, the call's own headers, and for a refusal
 * a detail that says what is wrong.
 */
export function judge(c: CallCase, response: ReceivedResponse): void {
  const body = json(response);
  const about = `${caseName(c)} → ${response.status} ${JSON.stringify(response.body)?.slice(0, 400)}`;
  expect(response.status, about).toBe(c.expect.status);
  const conforms = validateResponse(c.operationId, response.status, response.headers["content-type"] ?? null, body);
  expect(conforms.ok ? [] : conforms.errors.map((e) => e.message), about).toEqual([]);
  expect(headerProblems(c.operationId, response.status, { ...response.headers }), about).toEqual([]);
  if (c.expect.code !== undefined) expect(body.code ?? body.error, about).toBe(c.expect.code);
  for (const [name, pattern] of Object.entries(c.expect.headers ?? {})) {
    expect(response.headers[name], `${about}: header ${name}`).toMatch(pattern);
  }
  if (response.status >= 400) expect(String(body.detail ?? body.error_description ?? ""), about).not.toBe("");
}
