/**
 * @module
 * The built-in scenarios shipped in the package, and finding a scenario by name or by path.
 */

import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The folder of built-in scenarios, shipped in the package. */
export const builtinDir = fileURLToPath(new URL("../../../scenarios/", import.meta.url));

/** Names of the built-in scenarios (seed-3-1, seed-3-2, races, …). */
export function builtinNames(): string[] {
  return readdirSync(builtinDir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

/** A file path as given, or the path of the built-in of that name; null when neither exists. */
export function locateScenario(nameOrPath: string): string | null {
  if (existsSync(nameOrPath) && !builtinNames().includes(nameOrPath)) return nameOrPath;
  const builtin = `${builtinDir}${nameOrPath}.yaml`;
  if (/^[A-Za-z0-9_.-]+$/.test(nameOrPath) && existsSync(builtin)) return builtin;
  return existsSync(nameOrPath) ? nameOrPath : null;
}
