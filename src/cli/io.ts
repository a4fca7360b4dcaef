/**
 * @module
 * Where a command writes and what it knows of its surroundings, from the process or built by tests.
 */

import type { Environment } from "../base/config/options.js";

/**
 * Where a command writes and what it may know about its surroundings. The CLI entry builds it
 * from the process; tests build their own and read what was written.
 */
export interface Io {
  /** Writes one line (a newline is added) to standard output. */
  readonly out: (line: string) => void;
  /** Writes one line to standard error. */
  readonly err: (line: string) => void;
  /** Raw writes to standard error, for progress bars. */
  readonly errStream: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: Environment;
  /** Colour escapes on standard output: only on a terminal, never with NO_COLOR or TERM=dumb. */
  readonly color: boolean;
  /** Terminal width of standard output; undefined when it is piped (no padding to a width). */
  readonly columns: number | undefined;
  /** Print stacks of unexpected errors (--debug or STOCKPROOF_DEBUG=1). */
  readonly debug: boolean;
  /** Aborts when the operator asks the command to stop (the first SIGINT/SIGTERM); its reason names the signal. */
  readonly interrupt?: AbortSignal;
}

/** https://no-color.org: a set, non-empty NO_COLOR wins; FORCE_COLOR forces; else only a terminal. */
export function wantsColor(env: Environment, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  if (env.TERM === "dumb") return false;
  return isTTY;
}

/**
 * The real process's streams and environment. A reader that goes away (`stockproof compare … | head
 * -3`) closes standard output: the rest of the summary is dropped, and the command goes on to write
 * its report files and exit with its verdict's code, as it would have with every line read.
 */
export function processIo(debug: boolean): Io {
  const tty = process.stdout.isTTY === true;
  let readerGone = false;
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
    readerGone = true;
  });
  return {
    out: (line) => {
      if (!readerGone) process.stdout.write(`${line}\n`);
    },
    err: (line) => process.stderr.write(`${line}\n`),
    errStream: process.stderr,
    env: process.env,
    color: wantsColor(process.env, tty),
    columns: tty ? process.stdout.columns : undefined,
    debug,
  };
}
