/**
 * @module
 * The CLI entry: parses a command line, runs the command in-process and returns its exit code.
 */

import { createRequire } from "node:module";
import { type ArgsDef, defineCommand, parseArgs, runCommand } from "citty";
import { closest } from "../base/config/closest.js";
import { CannotJudge, UsageError } from "../base/config/errors.js";
import { type OptionSpec, type OptionTable, resolveOptions } from "../base/config/options.js";
import type { CliCommand } from "./command.js";
import { exitCodes, exitFor } from "./exit-codes.js";
import { checkFlags } from "./flags.js";
import { colourHelp, commandHelp, mainHelp, plainHelp } from "./help.js";
import { trapInterrupts } from "./interrupt.js";
import { type Io, processIo } from "./io.js";
import { writeNotJudgedJunit } from "./not-judged-junit.js";

/** The commands; each loads lazily so `serve` starts fast. */
const commands: Readonly<Record<string, () => Promise<CliCommand>>> = {
  serve: () => import("./serve.js").then((m) => m.serveCommand),
  run: () => import("./run.js").then((m) => m.runCommand),
  compare: () => import("./compare.js").then((m) => m.compareCommand),
  conform: () => import("./conform.js").then((m) => m.conformCommand),
  verify: () => import("./verify.js").then((m) => m.verifyCommand),
  audit: () => import("./audit.js").then((m) => m.auditCommand),
  mock: () => import("./mock.js").then((m) => m.mockCommand),
  check: () => import("./check.js").then((m) => m.checkCommand),
  export: () => import("./export.js").then((m) => m.exportCommand),
  shrink: () => import("./shrink.js").then((m) => m.shrinkCommand),
};

export const version = (createRequire(import.meta.url)("../../package.json") as { version: string }).version;

/** citty parses the flags (aliases, --no-x, --x=value); resolution and validation are ours. */
export function cittyArgs(options: OptionTable): ArgsDef {
  const args: ArgsDef = {};
  for (const [name, spec] of Object.entries(options)) {
    if (spec.type === "positional") args[name] = { type: "positional", required: false };
    else args[name] = { type: spec.type, ...(spec.aliases === undefined ? {} : { alias: [...spec.aliases] }) };
  }
  return args;
}

const isHelp = (arg: string) => arg === "--help" || arg === "-h";
const beforeSeparator = (args: readonly string[]) => {
  const end = args.indexOf("--");
  return end < 0 ? args : args.slice(0, end);
};

async function dispatch(args: readonly string[], io: Io): Promise<number> {
  const help = io.color ? colourHelp(Math.min(io.columns ?? 100, 120)) : plainHelp(Math.min(io.columns ?? 100, 120));
  const [first, ...rest] = args;
  if (first === undefined) {
    io.err(mainHelp(await Promise.all(Object.values(commands).map((load) => load())), version, help));
    io.err("");
    io.err("No command given: stockproof <command> [options]");
    return exitCodes.usage;
  }
  if (isHelp(first)) {
    io.out(mainHelp(await Promise.all(Object.values(commands).map((load) => load())), version, help));
    return exitCodes.pass;
  }
  if (first === "--version" || first === "-v") {
    io.out(version);
    return exitCodes.pass;
  }
  const load = commands[first];
  if (load === undefined) {
    const names = Object.keys(commands);
    const guess = first.startsWith("-") ? null : closest(first, names);
    throw new UsageError(
      `${first.startsWith("-") ? `unknown option ${first}` : `unknown command "${first}"`}${guess === null ? "." : `; did you mean "${guess}"?`} The commands are ${names.join(", ")} (stockproof --help).`,
    );
  }
  const command = await load();
  if (beforeSeparator(rest).some(isHelp)) {
    io.out(commandHelp(command, help));
    return exitCodes.pass;
  }
  checkFlags(`stockproof ${command.name}`, command.options, rest);
  const citty = defineCommand({
    meta: { name: command.name, description: command.description },
    args: cittyArgs(command.options),
    run: ({ args, data }) => command.invoke(args, data as Io),
  });
  try {
    const { result } = await runCommand(citty, { rawArgs: [...rest], data: io });
    return typeof result === "number" ? result : exitCodes.pass;
  } catch (error) {
    const junit = command.options.junit;
    if (error instanceof CannotJudge && junit !== undefined) {
      // The options parsed again, only to learn where the JUnit file goes (flag or variable) and the target.
      const target = command.options.target;
      const table: Record<string, OptionSpec> = {
        junit,
        ...(target === undefined ? {} : { target: { ...target, required: false } }),
      };
      const { values } = resolveOptions(table, parseArgs([...rest], cittyArgs(command.options)), io.env);
      if (typeof values.junit === "string")
        writeNotJudgedJunit(
          values.junit,
          command.name,
          typeof values.target === "string" ? values.target : undefined,
          error,
        );
    }
    throw error;
  }
}

/**
 * Runs one command line and returns its exit code; never exits the process, so tests run commands
 * in-process with their own `io`. `--debug` (anywhere) or STOCKPROOF_DEBUG=1 prints stacks of
 * unexpected errors.
 */
export async function runCli(rawArgs: readonly string[], io?: Io): Promise<number> {
  const debugFlag = beforeSeparator(rawArgs).includes("--debug");
  const separator = rawArgs.indexOf("--");
  const args = rawArgs.filter((a, i) => a !== "--debug" || (separator >= 0 && i > separator));
  const base = io ?? processIo(false);
  const debug = debugFlag || base.debug || base.env.STOCKPROOF_DEBUG === "1";
  const used: Io = { ...base, debug };
  try {
    return await dispatch(args, used);
  } catch (error) {
    const { code, lines } = exitFor(error, debug);
    for (const line of lines) used.err(line);
    return code;
  }
}

/** The commands that send traffic: a first SIGINT/SIGTERM stops them with a verdict and every report. */
const interruptible = new Set(["run", "compare", "audit"]);

/**
 * The `stockproof` binary: runs the command line and leaves its exit code for Node to exit with
 * (130/143 when a signal stopped a command that sends traffic, after its reports are written).
 */
export async function run(rawArgs: readonly string[] = process.argv.slice(2)): Promise<void> {
  const name = rawArgs.find((a) => a !== "--debug");
  const trap =
    name !== undefined && interruptible.has(name) ? trapInterrupts((line) => process.stderr.write(`${line}\n`)) : null;
  const code = await runCli(rawArgs, { ...processIo(false), ...(trap === null ? {} : { interrupt: trap.signal }) });
  process.exitCode = trap?.exitCode() ?? code;
}
