/**
 * @module
 * The spec's operations and declared statuses, and the check of a response's status, media type and body.
 */

import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { spec } from "../generated/spec.js";
import { toFieldErrors, type Validation } from "./field-errors.js";

// ajv-formats ships CommonJS; under ESM its function is the default export's default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => Ajv2020;

export type { FieldError, Validation } from "./field-errors.js";
export { type OperationId, type SchemaName, validateParameters, validateSchema } from "./request-validators.js";

// Response validators (tests, conformance) are compiled at run time, from the spec itself: there is no
// second schema. Request validation, which the server and the MSW handlers run, is generated ahead of
// time (request-validators.ts), so that Ajv's compiler stays out of the browser bundle.
const ajv = new Ajv2020({ strict: false, allErrors: true, verbose: true });
addFormats(ajv);
ajv.addSchema({ $id: "openapi.json", components: spec.components });

const cache = new Map<string, ValidateFunction>();

function compiled(key: string, build: () => object): ValidateFunction {
  let validate = cache.get(key);
  if (validate === undefined) {
    validate = ajv.compile(build());
    cache.set(key, validate);
  }
  return validate;
}

/** Points local refs of a fragment at the registered spec document. */
function rebase(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')) as object;
}

type MediaContent = Record<string, { schema?: object }>;
type ResponseObject = { content?: MediaContent; $ref?: string };

function resolveResponse(response: ResponseObject): ResponseObject {
  if (response.$ref === undefined) return response;
  const name = response.$ref.split("/").at(-1) as keyof typeof spec.components.responses;
  return spec.components.responses[name] as unknown as ResponseObject;
}

/** Every operationId in the spec with its method and path template. */
export function operations(): { operationId: string; method: string; path: string }[] {
  const out: { operationId: string; method: string; path: string }[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, { operationId?: string }>)) {
      if (op.operationId !== undefined) out.push({ operationId: op.operationId, method: method.toUpperCase(), path });
    }
  }
  return out;
}

/** Status codes the spec declares for an operation. */
export function declaredStatuses(operationId: string): number[] {
  for (const item of Object.values(spec.paths)) {
    for (const op of Object.values(item) as { operationId?: string; responses?: Record<string, unknown> }[]) {
      if (op.operationId === operationId) return Object.keys(op.responses ?? {}).map(Number);
    }
  }
  throw new Error(`No operation ${operationId} in the spec`);
}

/**
 * Checks a response against the spec: the status is declared, the media type is one the
 * spec lists, and the body matches its schema.
 */
export function validateResponse(
  operationId: string,
  status: number,
  contentType: string | null,
  body: unknown,
): Validation<unknown> {
  let declared: ResponseObject | undefined;
  for (const item of Object.values(spec.paths)) {
    for (const op of Object.values(item) as { operationId?: string; responses?: Record<string, ResponseObject> }[]) {
      if (op.operationId === operationId) declared = op.responses?.[String(status)];
    }
  }
  if (declared === undefined) {
    return { ok: false, errors: [{ path: "status", message: `status ${status} is not declared for ${operationId}` }] };
  }
  const content = resolveResponse(declared).content;
  if (content === undefined) return { ok: true, value: body };
  const mediaType = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const media = content[mediaType];
  if (media === undefined) {
    return {
      ok: false,
      errors: [
        {
          path: "content-type",
          message: `content-type ${mediaType || "(none)"} is not one of ${Object.keys(content).join(", ")}`,
        },
      ],
    };
  }
  if (media.schema === undefined) return { ok: true, value: body };
  const validate = compiled(`response:${operationId}:${status}:${mediaType}`, () => rebase(media.schema as object));
  return validate(body)
    ? { ok: true, value: body }
    : { ok: false, errors: toFieldErrors("body", body, validate.errors ?? []) };
}
