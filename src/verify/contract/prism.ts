/**
 * @module
 * Starts `prism mock` or `prism proxy` on the shipped spec as a child process and waits until it listens.
 */

import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** The spec shipped with the package (src/verify/contract and dist/verify/contract are both three levels down). */
export const specPath = fileURLToPath(new URL("../../../openapi/openapi.yaml", import.meta.url));

/** The Prism CLI entry inside node_modules, run with this Node rather than through a shell. */
export function prismBin(): string {
  const manifest = createRequire(import.meta.url).resolve("@stoplight/prism-cli/package.json");
  return join(dirname(manifest), "dist", "index.js");
}

export type PrismArgs =
  | { readonly mode: "mock"; readonly dynamic?: boolean }
  | {
      readonly mode: "proxy";
      readonly upstream: string;
      /** Turn response violations into a 500 with the violations (and refuse invalid requests). */
      readonly errors: boolean;
    };

export interface PrismOptions {
  readonly args: PrismArgs;
  readonly host?: string;
  /** 0 (the default) lets Prism pick a free port; the URL it prints is returned. */
  readonly port?: number;
  readonly spec?: string;
  /** Forward Prism's own log lines (one per request) to this function. */
  readonly onLog?: (line: string) => void;
  readonly startTimeoutMs?: number;
}

export interface RunningPrism {
  readonly url: string;
  readonly child: ChildProcess;
  /** Lines Prism printed before it listened (kept for error messages). */
  readonly startLog: readonly string[];
  stop(): Promise<void>;
}

export function prismCommandLine(options: PrismOptions): string[] {
  const { args } = options;
  const common = ["--host", options.host ?? "127.0.0.1", "--port", String(options.port ?? 0)];
  if (args.mode === "mock") {
    return ["mock", options.spec ?? specPath, ...common, ...(args.dynamic ? ["--dynamic"] : [])];
  }
  return ["proxy", options.spec ?? specPath, args.upstream, ...common, ...(args.errors ? ["--errors"] : [])];
}

/** Prism takes ~5 s to start on an idle 2-core machine and several times that under a loaded CI runner. */
const startTimeoutMs = 120_000;

// Prism prints e.g. "[CLI] ▶  start     Prism is listening on http://127.0.0.1:42367".
const listeningLine = /Prism is listening on (https?:\/\/\S+)/;

/** Starts `prism mock` or `prism proxy` as a child process; resolves with its URL once it listens. */
export function startPrism(options: PrismOptions): Promise<RunningPrism> {
  const child = spawn(process.execPath, [prismBin(), ...prismCommandLine(options)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1" },
  });
  const startLog: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    let started = false;
    const timer = setTimeout(() => {
      void stop();
      reject(
        new Error(`Prism did not start within ${options.startTimeoutMs ?? startTimeoutMs} ms:\n${startLog.join("\n")}`),
      );
    }, options.startTimeoutMs ?? startTimeoutMs);
    const onLine = (line: string) => {
      if (!started) startLog.push(line);
      options.onLog?.(line);
      const match = listeningLine.exec(line);
      if (match && !started) {
        started = true;
        clearTimeout(timer);
        resolve({ url: (match[1] as string).replace(/\/$/, ""), child, startLog, stop });
      }
    };
    createInterface({ input: child.stdout as NonNullable<typeof child.stdout> }).on("line", onLine);
    createInterface({ input: child.stderr as NonNullable<typeof child.stderr> }).on("line", onLine);
    void exited.then(() => {
      if (started) return;
      clearTimeout(timer);
      reject(new Error(`Prism exited before listening (exit ${child.exitCode}):\n${startLog.join("\n")}`));
    });
  });
}
