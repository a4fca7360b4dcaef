/**
 * @module
 * The help texts: `stockproof --help` and each command's usage, options, examples and exit codes.
 */

import { defaultOf, envName, type OptionSpec } from "../base/config/options.js";
import { wrapWords as wrap } from "../base/report-kit/wrap.js";
import type { CliCommand } from "./command.js";

type Style = (text: string) => string;

export interface HelpStyle {
  readonly bold: Style;
  /** Terminal width to wrap descriptions at; piped output wraps at 100 and is never padded to a width. */
  readonly width: number;
}

export const plainHelp = (width = 100): HelpStyle => ({ bold: (t) => t, width });
export const colourHelp = (width = 100): HelpStyle => ({ bold: (t) => `\u001b[1m${t}\u001b[22m`, width });

export const exitCodeLines = [
  "0  every check passed",
  "1  a check failed",
  "2  bad usage: unknown flag or command, bad value, bad scenario file (nothing ran)",
  "3  could not judge: target unreachable, credentials or admin key refused, set-up failed,",
  "   or the target stopped answering",
];

/** Two columns: a term and its wrapped description, the description lines aligned. */
function columns(rows: readonly [string, string][], style: HelpStyle): string[] {
  const termWidth = Math.min(32, Math.max(...rows.map(([t]) => t.length)));
  const out: string[] = [];
  for (const [term, text] of rows) {
    const room = Math.max(30, style.width - termWidth - 4);
    const wrapped = wrap(text, room);
    if (term.length > termWidth) {
      out.push(`  ${term}`);
      for (const l of wrapped) out.push(`  ${" ".repeat(termWidth)}  ${l}`);
    } else {
      const [first = "", ...more] = wrapped;
      out.push(`  ${term.padEnd(termWidth)}  ${first}`.trimEnd());
      for (const l of more) out.push(`  ${" ".repeat(termWidth)}  ${l}`);
    }
  }
  return out;
}

function describe(name: string, spec: OptionSpec): string {
  const notes: string[] = [];
  if (spec.required === true) notes.push("required");
  const fallback = defaultOf(spec);
  if (fallback !== null) notes.push(`default: ${fallback}`);
  if (spec.type !== "positional") notes.push(`env ${envName(name)}`);
  if (spec.aliases !== undefined && spec.aliases.length > 0)
    notes.push(`also ${spec.aliases.map((a) => `--${a}`).join(", ")}`);
  return `${spec.description} [${notes.join("; ")}]`;
}

/** `stockproof run --help`: usage line, arguments, options (defaults and variables written one way), examples, exit codes. */
export function commandHelp(command: CliCommand, style: HelpStyle): string {
  const entries = Object.entries(command.options);
  const positional = entries.filter(([, s]) => s.type === "positional");
  const flags = entries.filter(([, s]) => s.type !== "positional");
  const required = flags.filter(([, s]) => s.required === true).map(([n, s]) => `--${n} ${s.valueHint ?? "VALUE"}`);
  const usage = [
    "stockproof",
    command.name,
    ...positional.map(([n]) => `<${n.toUpperCase()}>`),
    ...required,
    "[options]",
  ];
  const lines = [
    ...wrap(`stockproof ${command.name} — ${command.description}`, style.width),
    "",
    `${style.bold("Usage:")} ${usage.join(" ")}`,
  ];
  if (positional.length > 0) {
    lines.push("", style.bold("Arguments:"));
    lines.push(
      ...columns(
        positional.map(([n, s]) => [n.toUpperCase(), s.description]),
        style,
      ),
    );
  }
  lines.push("", style.bold("Options:"));
  const rows: [string, string][] = [];
  for (const [name, spec] of flags) {
    if (spec.type === "boolean" && spec.default === true) rows.push([`--[no-]${name}`, describe(name, spec)]);
    else rows.push([`--${name}${spec.type === "string" ? ` ${spec.valueHint ?? "VALUE"}` : ""}`, describe(name, spec)]);
  }
  rows.push(["--debug", "Print the stack of an unexpected error [env STOCKPROOF_DEBUG]"]);
  rows.push(["-h, --help", "Show this help"]);
  lines.push(...columns(rows, style));
  if (command.examples.length > 0) {
    lines.push("", style.bold("Examples:"));
    for (const example of command.examples) lines.push(`  ${example}`);
  }
  lines.push("", style.bold("Exit codes:"));
  const codes = command.exitCodes === undefined ? exitCodeLines : wrap(command.exitCodes, style.width - 2);
  lines.push(...codes.map((l) => `  ${l}`));
  return lines.join("\n");
}

/** `stockproof --help`: the commands and the conventions they share. */
export function mainHelp(commands: readonly CliCommand[], version: string, style: HelpStyle): string {
  return [
    ...wrap(
      `stockproof ${version} — stateful reference server, contract checks and load scenarios for an order-payment flow with stock reservation`,
      style.width,
    ),
    "",
    `${style.bold("Usage:")} stockproof <command> [options]`,
    "",
    style.bold("Commands:"),
    ...columns(
      commands.map((c) => [c.name, c.description]),
      style,
    ),
    "",
    style.bold("Options:"),
    ...columns(
      [
        ["-h, --help", "Show help; `stockproof <command> --help` for a command's options and examples"],
        ["-v, --version", "Print the version"],
        ["--debug", "Print the stack of an unexpected error [env STOCKPROOF_DEBUG]"],
      ],
      style,
    ),
    "",
    ...wrap(
      "Every option can also be set by one environment variable named after it: --admin-key → STOCKPROOF_ADMIN_KEY. Colour only on a terminal; NO_COLOR=1 turns it off there too.",
      style.width,
    ),
    "",
    style.bold("Exit codes:"),
    ...exitCodeLines.map((l) => `  ${l}`),
  ].join("\n");
}
