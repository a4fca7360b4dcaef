import { PassThrough } from "node:stream";
import type { Io } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/main.js";

export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs one stockproof command line in this process through the CLI's own entry (citty parses the
 * rawArgs), as if piped: no colour, no terminal width. `env` replaces the environment entirely, so
 * the developer's STOCKPROOF_* variables never leak in.
 */
export async function cli(args: readonly string[], env: Record<string, string> = {}): Promise<InProcessRun> {
  const out: string[] = [];
  const err: string[] = [];
  const errStream = new PassThrough();
  errStream.on("data", (chunk: Buffer) => err.push(chunk.toString()));
  const io: Io = {
    out: (line) => out.push(`${line}\n`),
    err: (line) => err.push(`${line}\n`),
    errStream,
    env,
    color: false,
    columns: undefined,
    debug: false,
  };
  const code = await runCli(args, io);
  return { code, stdout: out.join(""), stderr: err.join("") };
}
