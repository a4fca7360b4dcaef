/**
 * @module
 * Resolves a command's options one way: flag, else its STOCKPROOF_* variable, else the default.
 */

import { UsageError } from "./errors.js";

/**
 * One option of a command. Every option is read from its flag first, then from one environment
 * variable named after it (`--admin-key` → STOCKPROOF_ADMIN_KEY), then from its default.
 */
export interface OptionSpec {
  readonly type: "string" | "boolean" | "positional";
  readonly description: string;
  /** Used when neither the flag nor the variable is set; help shows it as "default: …". */
  readonly default?: string | boolean;
  /** A default that depends on something else (the scenario's), shown the same way. */
  readonly defaultText?: string;
  /** Old or other names of the flag, still accepted (e.g. verify's --provider-base-url). */
  readonly aliases?: readonly string[];
  /** Older variable names, still read after the main one. */
  readonly legacyEnv?: readonly string[];
  /** Shown after the flag in help, e.g. URL, KEY, FILE. */
  readonly valueHint?: string;
  /** A string option that `--no-<name>` turns "off" (e.g. --no-cors). */
  readonly negatable?: boolean;
  /** Required after flag and variable are consulted (a missing one is a usage error, exit 2). */
  readonly required?: boolean;
}

export type OptionTable = Readonly<Record<string, OptionSpec>>;

type ValueOf<O extends OptionSpec> = O["type"] extends "boolean"
  ? boolean
  : O extends { readonly default: string }
    ? string
    : O extends { readonly required: true }
      ? string
      : string | undefined;

export type OptionValues<T extends OptionTable> = { readonly [K in keyof T]: ValueOf<T[K]> };

/** Where a value came from, for messages: "--timeout", "STOCKPROOF_TIMEOUT" or "the default". */
export type OptionSources<T extends OptionTable> = { readonly [K in keyof T]: string };

export interface ResolvedOptions<T extends OptionTable> {
  readonly values: OptionValues<T>;
  readonly from: OptionSources<T>;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** `admin-key` → `STOCKPROOF_ADMIN_KEY`. */
export const envName = (option: string) => `STOCKPROOF_${option.toUpperCase().replace(/-/g, "_")}`;

const truthy = new Set(["1", "true", "yes", "on"]);
const falsy = new Set(["0", "false", "no", "off"]);

function booleanFrom(variable: string, text: string): boolean {
  const value = text.trim().toLowerCase();
  if (truthy.has(value)) return true;
  if (falsy.has(value)) return false;
  throw new UsageError(`${variable} must be 1 or 0 (got "${text}")`);
}

/** The first non-empty variable of the option, with its name; an empty variable counts as unset. */
function fromEnvironment(name: string, spec: OptionSpec, env: Environment): { text: string; variable: string } | null {
  for (const variable of [envName(name), ...(spec.legacyEnv ?? [])]) {
    const text = env[variable];
    if (text !== undefined && text !== "") return { text, variable };
  }
  return null;
}

/**
 * The one step every command resolves its options through: flag, else STOCKPROOF_* variable, else
 * default. A boolean that defaults to true also reads STOCKPROOF_NO_<NAME>=1 (the older spelling).
 * Throws a UsageError naming the option when a required one is missing or a boolean variable is
 * not 1/0.
 */
export function resolveOptions<T extends OptionTable>(
  table: T,
  flags: Readonly<Record<string, unknown>>,
  env: Environment,
): ResolvedOptions<T> {
  const values: Record<string, string | boolean | undefined> = {};
  const from: Record<string, string> = {};
  for (const [name, spec] of Object.entries(table)) {
    const flag = flags[name];
    const label = spec.type === "positional" ? name.toUpperCase() : `--${name}`;
    if (spec.type === "boolean") {
      if (typeof flag === "boolean") {
        values[name] = flag;
        from[name] = flag ? label : `--no-${name}`;
        continue;
      }
      const set = fromEnvironment(name, spec, env);
      const negated = spec.default === true ? env[envName(`no-${name}`)] : undefined;
      if (set !== null) {
        values[name] = booleanFrom(set.variable, set.text);
        from[name] = set.variable;
      } else if (negated !== undefined && negated !== "") {
        values[name] = !booleanFrom(envName(`no-${name}`), negated);
        from[name] = envName(`no-${name}`);
      } else {
        values[name] = spec.default === true;
        from[name] = "the default";
      }
      continue;
    }
    if (typeof flag === "string") {
      values[name] = flag;
      from[name] = label;
      continue;
    }
    if (flag === false && spec.negatable === true) {
      values[name] = "off";
      from[name] = `--no-${name}`;
      continue;
    }
    const set = spec.type === "positional" ? null : fromEnvironment(name, spec, env);
    if (set !== null) {
      values[name] = set.text;
      from[name] = set.variable;
    } else if (typeof spec.default === "string") {
      values[name] = spec.default;
      from[name] = "the default";
    } else if (spec.required === true) {
      const hint = spec.type === "positional" ? "" : ` (or set ${envName(name)})`;
      throw new UsageError(`${label} is required: ${lowerFirst(spec.description)}${hint}`);
    } else {
      values[name] = undefined;
      from[name] = label;
    }
  }
  return { values: values as OptionValues<T>, from: from as OptionSources<T> };
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** The default as help shows it, or null when there is none. */
export function defaultOf(spec: OptionSpec): string | null {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.type === "boolean") return spec.default === true ? "on" : null;
  return typeof spec.default === "string" ? spec.default : null;
}
