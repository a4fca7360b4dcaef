import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { spec } from "../generated/spec.js";

// ajv-formats ships CommonJS; under ESM its function is the default export's default.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv2020,
) => Ajv2020;

/** One validation failure, located by a dotted path such as `customData.productStockList[1].orderCount`. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: FieldError[] };

export type SchemaName = keyof typeof spec.components.schemas;
export type OperationId = "createToken" | "reserveStock" | "payOrder" | "cancelOrder" | "setStock";

type Parameter = { name: string; in: string; required?: boolean; schema: object };

// Validators are compiled once, from the spec itself: there is no second schema. `verbose` gives
// each error its schema, so a pattern failure can quote the rule's description instead of a regex alone.
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

function pathOf(prefix: string, instancePath: string): string {
  const parts = instancePath.split("/").slice(1);
  let path = prefix;
  for (const part of parts) path += /^\d+$/.test(part) ? `[${part}]` : path === "" ? part : `.${part}`;
  return path;
}

function valueAt(data: unknown, instancePath: string): unknown {
  let value = data;
  for (const part of instancePath.split("/").slice(1)) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function show(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // Nesting too deep to print (JSON.stringify recurses): name the kind of value instead.
    return Array.isArray(value) ? "a deeply nested array" : "a deeply nested object";
  }
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function toFieldErrors(prefix: string, data: unknown, errors: readonly ErrorObject[]): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const error of errors) {
    if (error.keyword === "if" || error.keyword === "oneOf" || error.keyword === "anyOf") continue;
    let path = pathOf(prefix, error.instancePath);
    let message: string;
    if (error.keyword === "required") {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      path = path === "" ? missing : `${path}.${missing}`;
      message = `${path} is required`;
    } else if (error.keyword === "additionalProperties") {
      const extra = (error.params as { additionalProperty: string }).additionalProperty;
      message = `${path === "" ? "the object" : path} has an unknown field ${extra}`;
    } else {
      const rule =
        error.keyword === "pattern" ? (error.parentSchema as { description?: unknown })?.description : undefined;
      const why = typeof rule === "string" ? ` — ${rule}` : "";
      message = `${path} ${error.message ?? "is invalid"}${why} (got ${show(valueAt(data, error.instancePath))})`;
    }
    if (!seen.has(message)) {
      seen.add(message);
      out.push({ path, message });
    }
  }
  return out;
}

/** Validates a value against a named schema of the spec's components. */
export function validateSchema<T>(name: SchemaName, value: unknown, prefix = ""): Validation<T> {
  const validate = compiled(`schema:${name}`, () => ({ $ref: `openapi.json#/components/schemas/${name}` }));
  return validate(value)
    ? { ok: true, value: value as T }
    : { ok: false, errors: toFieldErrors(prefix, value, validate.errors ?? []) };
}

function operation(operationId: OperationId): { parameters?: unknown[]; requestBody?: unknown } {
  for (const item of Object.values(spec.paths)) {
    for (const op of Object.values(item) as { operationId?: string }[]) {
      if (op.operationId === operationId) return op as { parameters?: unknown[] };
    }
  }
  throw new Error(`No operation ${operationId} in the spec`);
}

function resolveParameter(parameter: unknown): Parameter {
  const ref = (parameter as { $ref?: string }).$ref;
  if (ref === undefined) return parameter as Parameter;
  const name = ref.split("/").at(-1) as keyof typeof spec.components.parameters;
  return spec.components.parameters[name] as unknown as Parameter;
}

/** Parameters of one location (query, path) of an operation, as declared in the spec. */
export function parametersOf(operationId: OperationId, location: "query" | "path"): Parameter[] {
  return (operation(operationId).parameters ?? []).map(resolveParameter).filter((p) => p.in === location);
}

/** Validates the string values of an operation's query or path parameters against the spec. */
export function validateParameters(
  operationId: OperationId,
  location: "query" | "path",
  values: Record<string, string>,
): Validation<Record<string, string>> {
  const validate = compiled(`params:${operationId}:${location}`, () => {
    const parameters = parametersOf(operationId, location);
    return {
      type: "object",
      properties: Object.fromEntries(parameters.map((p) => [p.name, rebase(p.schema)])),
      required: parameters.filter((p) => p.required === true).map((p) => p.name),
    };
  });
  return validate(values)
    ? { ok: true, value: values }
    : { ok: false, errors: toFieldErrors(location, values, validate.errors ?? []) };
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
