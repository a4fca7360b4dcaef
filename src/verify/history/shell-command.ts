/**
 * @module
 * Runs a user's shell command with input on stdin, bounded in time; a failure quotes the command and stderr.
 */

import { spawn } from "node:child_process";
import { err, ok, type Result } from "../../backend/domain/types.js";

export interface ShellRun {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a user's shell command (`sh -c CMD`) with `input` on stdin, bounded in time; a non-zero
 * exit, a signal or the time limit is an error that quotes the command and its stderr.
 */
export function runShellCommand(command: string, input: string, timeoutMs: number): Promise<Result<ShellRun, string>> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", command], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => errOut.push(chunk));
    child.stdin.on("error", () => {
      // A command that does not read its stdin closes the pipe early; that is not a failure.
    });
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve(err(`\`${command}\` could not start: ${error.message}`));
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString("utf8");
      const stderr = Buffer.concat(errOut).toString("utf8").trim();
      const tail = stderr === "" ? "" : `: ${stderr.slice(-500)}`;
      if (timedOut) resolve(err(`\`${command}\` did not finish within ${timeoutMs} ms${tail}`));
      else if (code !== 0) resolve(err(`\`${command}\` exited with ${code ?? signal}${tail}`));
      else resolve(ok({ stdout, stderr }));
    });
    child.stdin.end(input);
  });
}
