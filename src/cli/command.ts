/**
 * @module
 * How a command is declared: its options (for parsing, help and flag checks) and how it runs.
 */

import { type OptionTable, type ResolvedOptions, resolveOptions } from "../base/config/options.js";
import type { Io } from "./io.js";

/** A command as the CLI entry knows it: its options (for parsing, help and unknown-flag checks) and how to run it. */
export interface CliCommand {
  readonly name: string;
  readonly description: string;
  readonly options: OptionTable;
  /** Whole command lines shown under "Examples" in its help. */
  readonly examples: readonly string[];
  /** Exit codes this command gives besides the common ones, for its help. */
  readonly exitCodes?: string;
  /** Runs with citty's parsed flags; returns the exit code, or throws a typed error (src/base/config/errors.ts). */
  readonly invoke: (flags: Readonly<Record<string, unknown>>, io: Io) => Promise<number>;
}

export interface CommandDefinition<T extends OptionTable> {
  readonly name: string;
  readonly description: string;
  readonly options: T;
  readonly examples: readonly string[];
  readonly exitCodes?: string;
  /** Gets the options resolved (flag, else STOCKPROOF_* variable, else default); returns the exit code. */
  readonly run: (options: ResolvedOptions<T>, io: Io) => Promise<number>;
}

/** Declares a command; its options are resolved through the one step every command shares. */
export function defineCliCommand<const T extends OptionTable>(definition: CommandDefinition<T>): CliCommand {
  const { run, ...rest } = definition;
  return { ...rest, invoke: (flags, io) => run(resolveOptions(definition.options, flags, io.env), io) };
}
