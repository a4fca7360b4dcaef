/**
 * The errors an operator can cause, as types: the CLI maps each to its exit code in one place
 * (src/cli/exit-codes.ts) and prints its message as one line; a stack is printed only for bugs,
 * or with --debug.
 */

/** A bad flag, variable, value or file: nothing was started (exit 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/**
 * The target could not be judged: unreachable, credentials or admin key refused, set-up failed,
 * or it stopped answering (exit 3). `fix` says what to do about it.
 */
export class CannotJudge extends Error {
  override readonly name = "CannotJudge";
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** `serve` could not start; the message says why and what to do, and nothing was changed (exit 1). */
export class StartRefused extends Error {
  override readonly name = "StartRefused";
}
