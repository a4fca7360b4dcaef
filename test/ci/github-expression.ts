/**
 * GitHub Actions' expression language, the part the recipes use: literals, context paths
 * (`vars.DEV_API_URL`), `!`, `==`, `!=`, `&&`, `||`, parentheses and the status functions. Values
 * compare as GitHub documents: strings case-insensitively, other mixed types as numbers; `&&` and
 * `||` return an operand. Anything else is refused, so a recipe that grows new syntax fails the test
 * instead of being judged by a guess.
 */
export type Value = string | number | boolean | null | { readonly [key: string]: Value };

export interface ExpressionContext {
  readonly contexts: Readonly<Record<string, Value>>;
  /** What success(), failure(), cancelled() and always() answer for the step being decided. */
  readonly status: { readonly failed: boolean; readonly cancelled: boolean };
}

const token = /\s*(\$\{\{|\}\}|'(?:[^']|'')*'|==|!=|&&|\|\||[!()]|[A-Za-z_][\w.-]*(?:\(\))?|-?\d+(?:\.\d+)?)/y;

function tokenize(text: string): string[] {
  const out: string[] = [];
  token.lastIndex = 0;
  while (token.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(token.lastIndex))) break;
    const at = token.lastIndex;
    const match = token.exec(text);
    if (match === null) throw new Error(`unsupported expression syntax at "${text.slice(at)}" in: ${text}`);
    out.push(match[1] as string);
  }
  // The `${{ … }}` wrapper is optional in an `if:`.
  return out[0] === "${{" && out.at(-1) === "}}" ? out.slice(1, -1) : out;
}

const toNumber = (v: Value): number =>
  v === null
    ? 0
    : typeof v === "boolean"
      ? Number(v)
      : typeof v === "number"
        ? v
        : typeof v === "string"
          ? v.trim() === ""
            ? 0
            : Number(v)
          : Number.NaN;

export function truthy(v: Value): boolean {
  return !(v === false || v === null || v === "" || v === 0 || (typeof v === "number" && Number.isNaN(v)));
}

function equal(a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b && (typeof a !== "object" || a === null)) return a === b;
  return toNumber(a) === toNumber(b);
}

/** Evaluates one expression (with or without `${{ }}`) to its value. */
export function evaluate(text: string, context: ExpressionContext): Value {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const take = (expected?: string) => {
    const t = tokens[i++];
    if (t === undefined || (expected !== undefined && t !== expected))
      throw new Error(`expected ${expected ?? "more"} in: ${text}`);
    return t;
  };
  const primary = (): Value => {
    const t = take();
    if (t === "!") return !truthy(primary());
    if (t === "(") {
      const v = or();
      take(")");
      return v;
    }
    if (t.startsWith("'")) return t.slice(1, -1).replace(/''/g, "'");
    if (/^-?\d/.test(t)) return Number(t);
    if (t === "true" || t === "false") return t === "true";
    if (t === "null") return null;
    if (t.endsWith("()")) {
      const { failed, cancelled } = context.status;
      const functions: Record<string, boolean> = {
        "success()": !failed && !cancelled,
        "failure()": failed,
        "cancelled()": cancelled,
        "always()": true,
      };
      const result = functions[t];
      if (result === undefined) throw new Error(`unsupported function ${t} in: ${text}`);
      return result;
    }
    let v: Value = context.contexts;
    for (const key of t.split(".")) v = v !== null && typeof v === "object" ? (v[key] ?? null) : null;
    return v;
  };
  const comparison = (): Value => {
    const left = primary();
    const op = peek();
    if (op !== "==" && op !== "!=") return left;
    take();
    const same = equal(left, primary());
    return op === "==" ? same : !same;
  };
  const and = (): Value => {
    let v = comparison();
    while (peek() === "&&") {
      take();
      const right = comparison();
      v = truthy(v) ? right : v;
    }
    return v;
  };
  const or = (): Value => {
    let v = and();
    while (peek() === "||") {
      take();
      const right = and();
      v = truthy(v) ? v : right;
    }
    return v;
  };
  const value = or();
  if (i !== tokens.length) throw new Error(`unexpected "${tokens[i]}" in: ${text}`);
  return value;
}

/** A string with `${{ … }}` parts replaced by their values (GitHub's interpolation in `env:`). */
export function interpolate(text: string, context: ExpressionContext): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => {
    const v = evaluate(expression, context);
    return v === null ? "" : String(v);
  });
}
