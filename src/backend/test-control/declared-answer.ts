/**
 * @module
 * Picks the spec-declared answer a test forces on a public operation, refusing any the spec does not declare.
 */

import { type DeclaredAnswer, declaredAnswers } from "../generated/declared-answers.js";

/** The public operations whose answers can be forced (the test-control API forces nothing of its own). */
export type PublicOperation = "createToken" | "reserveStock" | "payOrder" | "cancelOrder";
export const publicOperations: readonly PublicOperation[] = ["createToken", "reserveStock", "payOrder", "cancelOrder"];

/** One declared answer picked to be sent instead of running the operation. */
export interface ChosenAnswer {
  readonly operationId: PublicOperation;
  readonly status: number;
  /** The problem code (or OAuth error) the answer carries; null for a success. */
  readonly code: string | null;
  /** The spec's example body for that code (or the status's first example), when it has one. */
  readonly example: unknown;
  readonly mediaType: string | null;
  /** Header names the spec declares for the answer (lower case). */
  readonly headers: readonly string[];
}

/** A refusal names what was not declared: the status, or the code. */
export type Choice =
  | { readonly ok: true; readonly value: ChosenAnswer }
  | { readonly ok: false; readonly field: "status" | "code"; readonly detail: string };

const answersOf = (operationId: PublicOperation): readonly DeclaredAnswer[] => declaredAnswers[operationId] ?? [];

/** "200, 400 (INVALID_PARAMETER, …), 409 (OUT_OF_STOCK, DUPLICATE_PAYMENT_ORDER)": what the operation can be made to answer. */
export function describeDeclared(operationId: PublicOperation): string {
  return answersOf(operationId)
    .map((a) => (a.codes.length === 0 ? `${a.status}` : `${a.status} (${a.codes.join(", ")})`))
    .join(", ");
}

/**
 * The declared answer for a status and/or code: the status's first code unless one is named, a code
 * alone picks the status declaring it. Anything the operation does not declare is refused, naming
 * what it does declare.
 */
export function chooseAnswer(operationId: PublicOperation, wanted: { status?: number; code?: string }): Choice {
  const answers = answersOf(operationId);
  const refuse = (field: "status" | "code", what: string): Choice => ({
    ok: false,
    field,
    detail: `${operationId} does not declare ${what}; it declares ${describeDeclared(operationId)}.`,
  });
  const answer =
    wanted.status !== undefined
      ? answers.find((a) => a.status === wanted.status)
      : answers.find((a) => wanted.code !== undefined && a.codes.includes(wanted.code));
  if (answer === undefined) {
    return wanted.status !== undefined
      ? refuse("status", `status ${wanted.status}`)
      : refuse("code", `the code ${wanted.code ?? "(none)"}`);
  }
  if (wanted.code !== undefined && !answer.codes.includes(wanted.code)) {
    return refuse("code", `the code ${wanted.code} with status ${answer.status}`);
  }
  const code = wanted.code ?? answer.codes[0] ?? null;
  if (code === null && answer.example === null) {
    return refuse("status", `an example for status ${answer.status}`);
  }
  return {
    ok: true,
    value: {
      operationId,
      status: answer.status,
      code,
      example: code === null ? answer.example : (answer.bodies[code] ?? null),
      mediaType: answer.mediaType,
      headers: answer.headers,
    },
  };
}
