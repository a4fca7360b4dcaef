/**
 * @module
 * Validates scenario documents against the shipped JSON Schema and words the errors a person can act on.
 */

import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { closest } from "../../base/config/closest.js";

/** The JSON Schema of scenario files, shipped beside the built-in scenarios. */
export const scenarioSchemaUrl = new URL("../../../scenarios/scenario.schema.json", import.meta.url);

let compiled: ValidateFunction | undefined;

/** Validates a parsed scenario document against the shipped schema. */
export function validateScenarioDocument(data: unknown): ErrorObject[] {
  if (compiled === undefined) {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    compiled = ajv.compile(JSON.parse(readFileSync(scenarioSchemaUrl, "utf8")) as object);
  }
  return compiled(data) ? [] : [...(compiled.errors ?? [])];
}

const depth = (path: string) => (path === "" ? 0 : path.split("/").length - 1);

/**
 * Keeps the errors a person can act on: for every oneOf, only the branch that got furthest into
 * the document (the one the author most likely meant), and no generic oneOf/if summaries.
 */
export function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  let kept = [...errors];
  const explained = new Set<ErrorObject>();
  const oneOfs = errors.filter((e) => e.keyword === "oneOf").sort((a, b) => b.schemaPath.length - a.schemaPath.length);
  for (const owner of oneOfs) {
    const prefix = `${owner.schemaPath}/`;
    const inside = kept.filter((e) => e.schemaPath.startsWith(prefix) && e.instancePath.startsWith(owner.instancePath));
    if (inside.length === 0) continue;
    explained.add(owner);
    const branchOf = (e: ErrorObject) => e.schemaPath.slice(prefix.length).split("/")[0] ?? "";
    const reach = new Map<string, number>();
    for (const e of inside) reach.set(branchOf(e), Math.max(reach.get(branchOf(e)) ?? 0, depth(e.instancePath)));
    const best = Math.max(...reach.values());
    const winners = new Set([...reach].filter(([, d]) => d === best).map(([branch]) => branch));
    kept = kept.filter((e) => !inside.includes(e) || winners.has(branchOf(e)));
  }
  kept = explainUnknownFields(kept);
  const noise = new Set(["oneOf", "anyOf", "if", "not"]);
  const seen = new Set<string>();
  return kept.filter((e) => {
    if (noise.has(e.keyword) && (e.keyword !== "oneOf" || explained.has(e))) return false;
    const key = `${e.instancePath} ${describeSchemaError(e)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const unknownField = (e: ErrorObject) =>
  e.keyword === "additionalProperties"
    ? String((e.params as { additionalProperty?: unknown }).additionalProperty)
    : null;

/**
 * An object every alternative refused (a step whose `reserve:` is misspelt `reserv:`): a field one
 * alternative calls unknown but another accepts is not reported (`name` is valid), and an unknown
 * field close to a field an alternative needs becomes one line with a did-you-mean, in place of
 * "needs the field …" for each alternative.
 */
function explainUnknownFields(errors: ErrorObject[]): ErrorObject[] {
  let out = errors;
  for (const path of new Set(errors.filter((e) => unknownField(e) !== null).map((e) => e.instancePath))) {
    const here = out.filter(
      (e) => e.instancePath === path && (e.keyword === "required" || e.keyword === "additionalProperties"),
    );
    const branchOf = (e: ErrorObject) => e.schemaPath.slice(0, e.schemaPath.lastIndexOf("/"));
    // The alternatives that check field names (their unknown-field errors name them).
    const branches = new Set(here.filter((e) => unknownField(e) !== null).map(branchOf));
    const refusedBy = (field: string, branch: string) =>
      here.some((e) => branchOf(e) === branch && unknownField(e) === field);
    const known = (field: string) => branches.size > 1 && [...branches].some((b) => !refusedBy(field, b));
    out = out.filter((e) => !(here.includes(e) && unknownField(e) !== null && known(unknownField(e) as string)));
    const needed = here.filter((e) => e.keyword === "required").map((e) => String(e.params.missingProperty));
    for (const e of here) {
      const field = unknownField(e);
      if (field === null || known(field)) continue;
      const meant = closest(field, needed);
      if (meant === null) continue;
      out = [
        ...out.filter((x) => !here.includes(x)),
        { ...e, params: { ...e.params, suggestion: meant } } as ErrorObject,
      ];
      break;
    }
  }
  return out;
}

/** One sentence per schema error. */
export function describeSchemaError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `needs the field "${String(params.missingProperty)}"`;
    case "additionalProperties":
      return `has an unknown field "${String(params.additionalProperty)}"${params.suggestion === undefined ? "" : `; did you mean "${String(params.suggestion)}"?`}`;
    case "enum":
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "oneOf":
      return "must take exactly one of the alternatives (e.g. one of reserve, pay, cancel; traffic or phases)";
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case "pattern":
      return `${error.message ?? "does not match"} (see scenario.schema.json)`;
    default:
      return error.message ?? error.keyword;
  }
}
