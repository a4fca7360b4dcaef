/**
 * @module
 * The exit codes of every command, one meaning each, and the one place an error becomes a code and lines.
 */

import { CannotJudge, StartRefused, UsageError } from "../base/config/errors.js";

/** The exit codes of every command, one meaning each. */
export const exitCodes = {
  /** Every check passed (or the command did what it was asked). */
  pass: 0,
  /** A check failed; `serve`: a start that cannot happen (port taken, file in use). */
  failed: 1,
  /** Bad usage: an unknown flag or command, a bad value, a bad scenario file. Nothing ran. */
  usage: 2,
  /** Could not judge: target unreachable, credentials or admin key refused, set-up failed, target stopped answering. */
  cannotJudge: 3,
} as const;

/** The exit code of a verdict: pass 0, fail 1, not judged 3. */
export const exitOfVerdict = (verdict: "pass" | "fail" | "not-judged"): number =>
  verdict === "pass" ? exitCodes.pass : verdict === "fail" ? exitCodes.failed : exitCodes.cannotJudge;

/** citty's own parse errors (a missing positional argument) carry this name. */
const isCittyUsage = (error: Error) => error.name === "CLIError";

/**
 * The one place an error becomes an exit code and the lines printed for it. Operator errors print
 * their message only; anything else is a bug: one line, and its stack with --debug.
 */
export function exitFor(error: unknown, debug: boolean): { code: number; lines: string[] } {
  if (error instanceof UsageError || (error instanceof Error && isCittyUsage(error)))
    return { code: exitCodes.usage, lines: [error.message] };
  if (error instanceof CannotJudge)
    return { code: exitCodes.cannotJudge, lines: [`NOT JUDGED: ${error.message}`, `  fix: ${error.fix}`] };
  if (error instanceof StartRefused) return { code: exitCodes.failed, lines: [error.message] };
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`stockproof stopped on an unexpected error: ${message}`];
  if (debug && error instanceof Error && error.stack !== undefined) lines.push(error.stack);
  else lines.push("  run again with --debug for the stack, and report it");
  return { code: exitCodes.cannotJudge, lines };
}
