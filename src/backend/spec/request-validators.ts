/**
 * @module
 * Validates request bodies and parameters against the spec with validators generated ahead of time.
 */

import * as generated from "../generated/validators.js";
import { type SchemaError, toFieldErrors, type Validation } from "./field-errors.js";

export type { FieldError, Validation } from "./field-errors.js";

/** Schemas with a validator generated ahead of time (scripts/gen-validators.mjs lists them). */
export type SchemaName = "TokenRequest" | "SetStockRequest" | "CustomData" | "Catalog" | "FaultRulesRequest";
export type OperationId = "createToken" | "reserveStock" | "payOrder" | "cancelOrder" | "setStock" | "listRequests";

interface StandaloneValidator {
  (data: unknown): boolean;
  errors?: readonly SchemaError[] | null;
}

const validators = generated as unknown as Readonly<Record<string, StandaloneValidator | undefined>>;

function run<T>(validate: StandaloneValidator, value: unknown, prefix: string): Validation<T> {
  return validate(value)
    ? { ok: true, value: value as T }
    : { ok: false, errors: toFieldErrors(prefix, value, validate.errors ?? []) };
}

/**
 * Validates a value against a named schema of the spec's components, with code Ajv generated from the
 * spec at `npm run gen` — nothing is compiled at run time, in the server or in a browser page.
 */
export function validateSchema<T>(name: SchemaName, value: unknown, prefix = ""): Validation<T> {
  const validate = validators[`schema_${name}`];
  if (validate === undefined)
    throw new Error(`No generated validator for schema ${name}: add it to scripts/gen-validators.mjs`);
  return run<T>(validate, value, prefix);
}

/** Validates the string values of an operation's query or path parameters against the spec. */
export function validateParameters(
  operationId: OperationId,
  location: "query" | "path",
  values: Record<string, string>,
): Validation<Record<string, string>> {
  const validate = validators[`params_${operationId}_${location}`];
  // The operation declares no parameter there: nothing to check.
  if (validate === undefined) return { ok: true, value: values };
  return run(validate, values, location);
}
