/**
 * @module
 * The scenario file a team commits after a shrink, its comments naming the class, rate, steps and replay.
 */

import { stringify } from "yaml";
import { failureClasses } from "../audit/classes.js";
import type { ScenarioDocument } from "./document.js";
import type { ShrinkOutcome } from "./search.js";
import { describeSize } from "./size.js";

type Shrunk = Extract<ShrinkOutcome, { kind: "shrunk" }>;

/** The class's title as the audit table shows it, e.g. "Double restore". */
export const classTitle = (id: string) => failureClasses.find((c) => c.id === id)?.title ?? id;

/** "fails in 9 of 10 runs" — the rate measured on the scenario written. */
export const failureRate = (failed: number, runs: number) => `fails in ${failed} of ${runs} runs`;

/** The name the written scenario gets: the original's, with "-repro" (within the schema's 64 characters). */
export const reproName = (name: string) => `${name.slice(0, 58)}-repro`;

/** "rounds 100 → 75" then "rounds 75 → 51" read as "rounds 100 → 51": one line per value shrunk in a row. */
export function mergeSteps(changes: readonly string[]): string[] {
  const merged: string[] = [];
  for (const change of changes) {
    const next = /^(.*) (\S+) → (\S+)$/.exec(change);
    const last = /^(.*) (\S+) → (\S+)$/.exec(merged.at(-1) ?? "");
    if (next !== null && last !== null && next[1] === last[1] && next[2] === last[3])
      merged[merged.length - 1] = `${last[1]} ${last[2]} → ${next[3]}`;
    else merged.push(change);
  }
  return merged;
}

/** The changes that led from the original to the scenario written, at most 12 lines (the rest counted). */
export function shrinkSteps(outcome: Shrunk): string[] {
  const upTo = outcome.path.indexOf(outcome.result);
  const changes = mergeSteps(outcome.path.slice(1, upTo + 1).map((k) => k.change));
  return changes.length <= 12 ? changes : [...changes.slice(0, 11), `… and ${changes.length - 11} more`];
}

/**
 * The scenario file the team commits: the document that was run, preceded by comments that name
 * the class, its failure rate, how it was shrunk and the command that replays it.
 */
export function reproFile(outcome: Shrunk, target: string, replay: string): string {
  const { result, original, confirmation } = outcome;
  const document: ScenarioDocument = {
    ...result.document,
    name: reproName(original.document.name),
    description: `The smallest scenario found that fails "${classTitle(outcome.klass)}", shrunk from ${original.document.name}.`,
  };
  const changes = shrinkSteps(outcome);
  const header = [
    `# Reproduces "${classTitle(outcome.klass)}" (audit class ${outcome.klass}) against ${target}:`,
    `# ${failureRate(confirmation.failed, confirmation.runs)}${outcome.rare ? " — less than half: the race is rare at this size, run it several times" : ""}.`,
    `# Replay: ${replay}`,
    `# Shrunk from ${original.document.name} (${describeSize(original.size)}) to ${describeSize(result.size)}`,
    `# in ${(outcome.ms / 1000).toFixed(1)} s and ${outcome.runs} runs${changes.length === 0 ? "." : ":"}`,
    ...changes.map((c) => `#   ${c}`),
  ];
  return `${header.join("\n")}\n${stringify(document, { lineWidth: 120 })}`;
}
