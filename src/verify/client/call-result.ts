/**
 * @module
 * Settles one openapi-fetch call so that any answer whose body is not what the spec declares is an error value.
 */

import { settleError, type UnexpectedResponse, unexpectedResponse } from "./client-error.js";

/** The fetch the client calls: a Request in, a Response out (the global fetch, or one injected). */
export type Fetch = (request: Request) => Promise<Response>;

/**
 * A call's outcome, as openapi-fetch's `{ data } | { error }` but with `error` always an object: the
 * spec's error body, or UnexpectedResponse when the body is not one (never openapi-fetch's raw "").
 */
export type ClientResult<D, E> =
  | { readonly data: D; readonly error?: never; readonly response: Response }
  | { readonly data?: never; readonly error: E | UnexpectedResponse; readonly response: Response };

/** What openapi-fetch resolves to. */
export type RawResult<D, E> =
  | { data: D; error?: never; response: Response }
  | { data?: never; error: E; response: Response };

const jsonType = /^application\/(?:[\w.+-]+\+)?json(?:;|$)/i;

/**
 * Runs one openapi-fetch call through a fetch that keeps a copy of the answer, so that every answer
 * whose body is not what the spec declares resolves to UnexpectedResponse, whatever its status: an
 * SPA fallback's `200 text/html` (the mock did not start), an empty 200, a proxy's HTML 502. Only a
 * fetch that rejects (network failure, CORS refusal, abort) rejects: there is no answer to describe.
 */
export async function settleCall<D, E>(
  fetch: Fetch,
  call: (fetch: Fetch) => Promise<RawResult<D, E>>,
): Promise<ClientResult<D, E>> {
  let answer: { readonly response: Response; readonly copy: Response } | undefined;
  const keeping: Fetch = async (request) => {
    const response = await fetch(request);
    answer = { response, copy: response.clone() };
    return response;
  };
  let result: RawResult<D, E>;
  try {
    result = await call(keeping);
  } catch (error) {
    // openapi-fetch threw after the answer came: its body did not parse as JSON.
    if (answer === undefined) throw error;
    const body = await answer.copy.text();
    return { error: unexpectedResponse(answer.response.status, body), response: answer.response };
  }
  const { response } = result;
  if (!response.ok) return { error: settleError<E>(result.error, response), response };
  const declared = jsonType.test(response.headers.get("content-type") ?? "");
  if (declared && typeof result.data === "object" && result.data !== null) {
    return { data: result.data as D, response };
  }
  const body = answer === undefined ? "" : await answer.copy.text();
  return { error: unexpectedResponse(response.status, body), response };
}
