/**
 * @module
 * Loads a scenario file or built-in, each problem reported with its line and column.
 */

import { readFileSync } from "node:fs";
import { LineCounter, parseDocument } from "yaml";
import { err, ok, type Result } from "../../backend/domain/types.js";
import { closest } from "../../base/config/closest.js";
import { builtinNames, locateScenario } from "./builtins.js";
import { normalise, type RawScenario } from "./normalise.js";
import { describeSchemaError, relevantErrors, validateScenarioDocument } from "./schema.js";
import type { Scenario } from "./types.js";
import { dotted, locate, pointerSegments, type Segment } from "./yaml-location.js";

/** One problem in a scenario file, located in the file. */
export interface ScenarioProblem {
  readonly line: number;
  readonly column: number;
  /** Dotted path to the field, e.g. given.skus[0].stock. */
  readonly path: string;
  readonly message: string;
}

export interface ScenarioLoadError {
  readonly source: string;
  readonly problems: readonly ScenarioProblem[];
}

/** "file:3:7 given.skus[0].stock must be integer" — one line per problem. */
export function formatLoadError(error: ScenarioLoadError): string {
  return [
    `${error.source} is not a valid scenario:`,
    ...error.problems.map(
      (p) => `  ${error.source}:${p.line}:${p.column} ${p.path === "" ? "(document)" : p.path} ${p.message}`,
    ),
  ].join("\n");
}

function readText(source: string): Result<string, ScenarioLoadError> {
  try {
    return ok(readFileSync(source, "utf8"));
  } catch (error) {
    return err({
      source,
      problems: [{ line: 1, column: 1, path: "", message: `cannot be read: ${(error as Error).message}` }],
    });
  }
}

/** Loads a scenario by built-in name or file path. */
export function loadScenario(nameOrPath: string): Result<Scenario, ScenarioLoadError> {
  const path = locateScenario(nameOrPath);
  if (path === null) {
    const names = builtinNames();
    const near = closest(nameOrPath, names);
    const message = `is neither a scenario file nor a built-in scenario${near === null ? "" : `; did you mean "${near}"?`} (built-ins: ${names.join(", ")})`;
    return err({ source: nameOrPath, problems: [{ line: 1, column: 1, path: "", message }] });
  }
  const text = readText(path);
  return text.ok ? parseScenario(text.value, path) : text;
}

/** Parses and validates scenario YAML; every problem carries its line and column. */
export function parseScenario(text: string, source: string): Result<Scenario, ScenarioLoadError> {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return err({
      source,
      problems: doc.errors.map((e) => {
        const { line, col } = counter.linePos(e.pos[0]);
        return { line, column: col, path: "", message: e.message.split("\n")[0] ?? e.code };
      }),
    });
  }
  const data: unknown = doc.toJS();
  const problem = (segments: readonly Segment[], message: string, key?: string): ScenarioProblem => ({
    ...locate(doc, counter, segments, key),
    path: dotted(key === undefined ? segments : [...segments, key]),
    message,
  });
  const schemaErrors = relevantErrors(validateScenarioDocument(data));
  if (schemaErrors.length > 0) {
    return err({
      source,
      problems: schemaErrors.map((e) => {
        const segments = pointerSegments(e.instancePath);
        const extra = e.keyword === "additionalProperties" ? String(e.params.additionalProperty) : undefined;
        return problem(segments, describeSchemaError(e), extra);
      }),
    });
  }
  const problems: ScenarioProblem[] = [];
  const scenario = normalise(data as RawScenario, source, (segments, message) =>
    problems.push(problem(segments, message)),
  );
  return problems.length > 0 ? err({ source, problems }) : ok(scenario);
}
