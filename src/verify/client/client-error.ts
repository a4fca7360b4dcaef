/**
 * @module
 * The client's error shapes (problem, OAuth error, unexpected response) and the one code every one carries.
 */

import type { components } from "../../backend/generated/openapi.js";

/** An RFC 9457 problem with stockproof's machine `code` (order and test-control APIs, and some token-endpoint refusals). */
export type Problem = components["schemas"]["Problem"];
/** An RFC 6749 §5.2 error of the token endpoint: its code is `error`, not `code`. */
export type OAuthError = components["schemas"]["OAuthError"];

/**
 * An answer whose body is not the JSON the spec declares, whatever its status: empty, HTML from a
 * proxy, a dev server's own 404 page, an SPA fallback's `200 text/html`. The client gives this instead
 * of openapi-fetch's raw text or a JSON SyntaxError, so `error` is always an object and `error.code`
 * is always there to read on order calls.
 */
export interface UnexpectedResponse {
  readonly code: "UNEXPECTED_RESPONSE";
  readonly status: number;
  /** Says what came back, like a problem's `detail`. */
  readonly detail: string;
  /** The body as text ("" when empty). */
  readonly body: string;
}

/** Every code a client error can carry: the spec's problem codes, RFC 6749's, and UNEXPECTED_RESPONSE. */
export type ErrorCode = Problem["code"] | OAuthError["error"] | UnexpectedResponse["code"];

type Shape = Record<string, unknown>;
const isObject = (value: unknown): value is Shape => typeof value === "object" && value !== null;

/** True for the token endpoint's RFC 6749 errors (`error.error` is the code). */
export function isOAuthError(error: unknown): error is OAuthError {
  return isObject(error) && typeof error.error === "string" && !("code" in error);
}

/** True for problem+json answers (`error.code` is one of the spec's codes). */
export function isProblem(error: unknown): error is Problem {
  return isObject(error) && typeof error.code === "string" && error.code !== "UNEXPECTED_RESPONSE";
}

/**
 * The machine code of any client error, whichever shape it has.
 *
 * @example
 *   const { error } = await client.login(user, password);
 *   if (error && errorCode(error) === "invalid_grant") showWrongPassword();
 */
export function errorCode(error: Problem | OAuthError | UnexpectedResponse): ErrorCode {
  return isOAuthError(error) ? error.error : error.code;
}

/** An UnexpectedResponse for an answer of this status and body text. */
export function unexpectedResponse(status: number, body: string): UnexpectedResponse {
  const shown = body === "" ? "an empty body" : `a body that is not the API's JSON: ${body.slice(0, 200)}`;
  return { code: "UNEXPECTED_RESPONSE", status, detail: `HTTP ${status} with ${shown}`, body };
}

/**
 * The error as the types promise it: a problem or an OAuth error when the body is one, otherwise an
 * UnexpectedResponse holding the text (openapi-fetch hands over "" for an empty body).
 */
export function settleError<E>(error: unknown, response: Response): E | UnexpectedResponse {
  if (isProblem(error) || isOAuthError(error)) return error as E;
  const body = typeof error === "string" ? error : (JSON.stringify(error) ?? "");
  return unexpectedResponse(response.status, body);
}
