/**
 * @module
 * Refuses what citty would silently ignore: unknown flags (naming the closest), missing values, extra arguments.
 */

import { closest } from "../base/config/closest.js";
import { UsageError } from "../base/config/errors.js";
import type { OptionTable } from "../base/config/options.js";

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Refuses what citty would silently ignore: an unknown flag (with the closest known one), a flag
 * that needs a value and has none, and extra positional arguments. `command` is how the message
 * names the command, e.g. "stockproof run".
 */
export function checkFlags(command: string, options: OptionTable, rawArgs: readonly string[]): void {
  const known = new Map<string, { type: string; name: string }>();
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type === "positional") continue;
    for (const spelling of [name, ...(spec.aliases ?? [])]) {
      known.set(spelling, { type: spec.type, name });
      known.set(camel(spelling), { type: spec.type, name });
      if (spec.type === "boolean" || spec.negatable === true) known.set(`no-${spelling}`, { type: "negated", name });
    }
  }
  const positionals = Object.values(options).filter((o) => o.type === "positional").length;
  const listed = [...known.keys()].filter((k) => !/[A-Z]/.test(k));
  let seenPositionals = 0;
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === "--") break;
    if (!arg.startsWith("-") || arg === "-") {
      seenPositionals++;
      if (seenPositionals > positionals) {
        throw new UsageError(
          positionals === 0
            ? `${command} takes no argument "${arg}"; options start with --, see ${command} --help`
            : `${command} takes ${positionals} argument${positionals === 1 ? "" : "s"}; "${arg}" is one too many (see ${command} --help)`,
        );
      }
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.replace(/^-{1,2}/, "").slice(0, eq < 0 ? undefined : eq - (arg.startsWith("--") ? 2 : 1));
    const option = known.get(name);
    if (option === undefined || !arg.startsWith("--")) {
      const guess = closest(name, listed);
      throw new UsageError(
        `unknown option ${arg.slice(0, eq < 0 ? undefined : eq)} for ${command}${guess === null ? "" : `; did you mean --${guess}?`} (${command} --help lists the options)`,
      );
    }
    if (option.type === "string" && eq < 0) {
      const next = rawArgs[i + 1];
      if (next === undefined || (next.startsWith("--") && next.length > 2))
        throw new UsageError(`--${name} needs a value, e.g. --${name} ${options[option.name]?.valueHint ?? "VALUE"}`);
      i++;
    } else if (option.type === "negated" && eq >= 0) {
      throw new UsageError(`--${name} takes no value (got "${arg}")`);
    }
  }
}
