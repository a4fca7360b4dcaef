/** One validation failure, located by a dotted path such as `customData.productStockList[1].orderCount`. */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export type Validation<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: FieldError[] };

/** The part of Ajv's ErrorObject the messages use (runtime-compiled and standalone validators alike). */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string | undefined;
  /** With Ajv's `verbose`: the schema holding the failed keyword (its description says why a pattern is as it is). */
  readonly parentSchema?: unknown;
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

/** Schema errors as messages naming the field, the rule and the value, e.g. "amount must be string (got 3)". */
export function toFieldErrors(prefix: string, data: unknown, errors: readonly SchemaError[]): FieldError[] {
  const seen = new Set<string>();
  const out: FieldError[] = [];
  for (const error of errors) {
    if (error.keyword === "if" || error.keyword === "oneOf" || error.keyword === "anyOf") continue;
    let path = pathOf(prefix, error.instancePath);
    let message: string;
    if (error.keyword === "required") {
      const missing = error.params.missingProperty as string;
      path = path === "" ? missing : `${path}.${missing}`;
      message = `${path} is required`;
    } else if (error.keyword === "additionalProperties") {
      const extra = error.params.additionalProperty as string;
      message = `${path === "" ? "the object" : path} has an unknown field ${extra}`;
    } else {
      const rule =
        error.keyword === "pattern"
          ? (error.parentSchema as { description?: unknown } | undefined)?.description
          : undefined;
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
