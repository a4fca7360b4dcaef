import { execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const builtEntry = join(root, "dist/cli/main.js");

function newestSourceMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const isStale = () => !existsSync(builtEntry) || statSync(builtEntry).mtimeMs < newestSourceMtime(join(root, "src"));

/**
 * Rebuilds dist/ (what `stockproof serve` runs) when it is older than src/: tests that spawn the CLI
 * would otherwise exercise yesterday's code. `npm test` builds first; this covers `vitest run <file>`.
 * The build runs under a lock so parallel test files do not compile over each other.
 */
export function ensureBuilt(): void {
  if (!isStale()) return;
  try {
    // Checked again under the lock: another test file may have just built.
    const buildIfStale = `[ -f dist/cli/main.js ] && [ -z "$(find src -name '*.ts' -newer dist/cli/main.js | head -n 1)" ] || npm run build`;
    execFileSync("flock", ["/tmp/stockproof-build.lock", "sh", "-c", buildIfStale], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    // tsc emits even when it reports type errors in files being edited elsewhere; sources may also
    // change while it runs. Only a build that produced no CLI at all is fatal here.
    if (!existsSync(builtEntry)) {
      const output = String((error as { stdout?: unknown }).stdout ?? "");
      throw new Error(`npm run build produced no ${builtEntry}:\n${output}`);
    }
  }
}

const cliEntry = join(root, "bin/stockproof.js");

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI without blocking this process (servers under test may live in it); bounded at 120 s. */
export function runBuiltCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const options = { timeout: 120_000, env: { ...process.env, ...env } };
    execFile(process.execPath, [cliEntry, ...args], options, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

export type ServeOutcome =
  | { readonly kind: "exited"; readonly code: number | null; readonly output: string }
  | { readonly kind: "listened"; readonly output: string }
  | { readonly kind: "neither"; readonly output: string };

/**
 * Runs `stockproof serve ARGS` until it either exits or listens. A server that listens is stopped
 * again (SIGTERM), as is one still doing neither at the deadline (a start-up loop): the deadline
 * bounds only broken code; a refusal returns as soon as the process exits.
 */
export function serveOutcome(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  deadlineMs = 30_000,
): Promise<ServeOutcome> {
  const child = spawn(process.execPath, [cliEntry, "serve", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  // "close": the process (and any worker sharing its pipes) has exited and all its output is read.
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return new Promise((resolve) => {
    let stoppedBecause: "listened" | "neither" | undefined;
    const stop = (kind: "listened" | "neither") => {
      if (stoppedBecause !== undefined) return;
      stoppedBecause = kind;
      child.kill("SIGTERM");
    };
    const timer = setTimeout(() => stop("neither"), deadlineMs);
    child.stdout.on("data", () => {
      if (/^Listening on /m.test(output.join(""))) stop("listened");
    });
    void exited.then((code) => {
      clearTimeout(timer);
      const text = output.join("");
      resolve(
        stoppedBecause === undefined ? { kind: "exited", code, output: text } : { kind: stoppedBecause, output: text },
      );
    });
  });
}
