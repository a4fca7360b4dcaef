/**
 * @module
 * A scenario as its author wrote it: the document the shrinker changes, copies, reads and loads.
 */

import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { err, ok, type Result } from "../../backend/domain/types.js";
import { locateScenario } from "../scenario/builtins.js";
import { formatLoadError, parseScenario } from "../scenario/load.js";
import type { RawScenario } from "../scenario/normalise.js";
import type { Scenario } from "../scenario/types.js";

/**
 * A scenario as its author wrote it (the YAML document, plain data). The shrinker changes
 * documents, not loaded scenarios: every candidate is a file the loader accepts, and the file
 * written at the end is exactly the one that was run.
 */
export type ScenarioDocument = RawScenario;

export type RawCase = Extract<ScenarioDocument["when"][number], { name: string }>;
export type RawStep = ScenarioDocument["when"][number];

/** A document and the scenario it loads as. */
export interface LoadedDocument {
  readonly document: ScenarioDocument;
  readonly scenario: Scenario;
}

/** A deep copy, so a candidate never shares a part with the document it came from. */
export const cloneDocument = (document: ScenarioDocument): ScenarioDocument => structuredClone(document);

/** Reads a built-in scenario or a file as a document; a bad file is an error naming the problem. */
export function readDocument(nameOrPath: string): Result<LoadedDocument, string> {
  const path = locateScenario(nameOrPath);
  if (path === null) return err(`"${nameOrPath}" is neither a scenario file nor a built-in scenario`);
  const text = readFileSync(path, "utf8");
  const loaded = parseScenario(text, path);
  if (!loaded.ok) return err(formatLoadError(loaded.error));
  return ok({ document: parse(text) as ScenarioDocument, scenario: loaded.value });
}

/** Loads a document through the same loader as `stockproof run`; null when the loader refuses it. */
export function loadDocument(document: ScenarioDocument, source: string): Scenario | null {
  const loaded = parseScenario(JSON.stringify(document), source);
  return loaded.ok ? loaded.value : null;
}

/** Every case of a round, in order, with the step it is in. */
export function casesOfDocument(document: ScenarioDocument): RawCase[] {
  return document.when.flatMap((step) => ("together" in step ? step.together : "name" in step ? [step] : []));
}
