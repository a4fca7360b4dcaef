/**
 * @module
 * A forced declared answer as a response: the spec's example for its code, or a problem built from it.
 */

import type { ChosenAnswer } from "../../test-control/declared-answer.js";
import { type ProblemCode, problemResponse, problemTable, toProblem } from "../problems.js";

const realm = 'realm="stockproof"';

/** The headers the spec declares for the answer, with the values the operation itself would send. */
function headersOf(answer: ChosenAnswer, detail: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (answer.operationId === "createToken") headers["cache-control"] = "no-store";
  if (answer.headers.includes("retry-after")) headers["retry-after"] = "1";
  if (answer.headers.includes("www-authenticate")) {
    headers["www-authenticate"] =
      answer.operationId === "createToken"
        ? `Basic ${realm}`
        : answer.status === 403
          ? `Bearer ${realm}, error="insufficient_scope", scope="read write"`
          : `Bearer ${realm}, error="invalid_token", error_description="${detail.replaceAll('"', "'")}"`;
  }
  return headers;
}

/**
 * The declared answer as a response: the spec's example for its code when there is one, else a
 * problem (or OAuth error) built from the code whose detail says the answer was forced.
 */
export function forcedResponse(answer: ChosenAnswer, reason: string, extra: Record<string, string> = {}): Response {
  const detail = `${reason}: the operation did not run and nothing changed.`;
  const headers = { ...headersOf(answer, detail), ...extra };
  if (answer.mediaType === "application/problem+json" && answer.example === null && answer.code !== null) {
    const code = answer.code as ProblemCode;
    // The code is one the spec declares, so the table has it; a code outside the table is a spec bug.
    if (problemTable[code] === undefined) throw new Error(`No problem table entry for ${answer.code}`);
    return problemResponse({ ...toProblem(code, detail), status: answer.status }, headers);
  }
  const body =
    answer.example !== null
      ? answer.example
      : answer.code !== null
        ? { error: answer.code, error_description: detail }
        : null;
  return new Response(body === null ? null : JSON.stringify(body), {
    status: answer.status,
    headers: { ...(answer.mediaType === null ? {} : { "content-type": answer.mediaType }), ...headers },
  });
}
