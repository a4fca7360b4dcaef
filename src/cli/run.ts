import { defineCommand } from "citty";
import { clientTimeoutRange, holdTtlRange, parseDurationFlag } from "../config/duration.js";
import { checkRun } from "../scenario/check/index.js";
import { formatLoadError, loadScenario } from "../scenario/load.js";
import { createProgressView } from "../scenario/progress.js";
import { ansi, plain, terminalReport } from "../scenario/report/terminal.js";
import { writeReports } from "../scenario/report/write.js";
import { runScenario } from "../scenario/runner.js";

/** Options shared by `run` and `compare`. */
export const scenarioArgs = {
  scenario: {
    type: "positional",
    required: true,
    description: "A built-in scenario (seed-3-1, seed-3-2, races) or a scenario YAML file",
  },
  target: {
    type: "string",
    required: true,
    description: "Base URL of the server under test, e.g. http://127.0.0.1:8080",
  },
  "admin-key": {
    type: "string",
    description: "X-Admin-Key of the target's test-control API [default stockproof-admin]",
  },
  admin: {
    type: "boolean",
    default: true,
    description:
      "Use the target's test-control API (--no-admin: the target has none; declare the stock in the scenario)",
  },
  speed: { type: "string", description: "Compress the time of rate traffic by this factor, e.g. 100" },
  phase: { type: "string", description: "Run only the phase with this name" },
  timeout: {
    type: "string",
    description: "Per-request timeout, e.g. 10s, from 1ms to 24d [default: the scenario's, else 10s]",
  },
  "max-duration": { type: "string", description: "Cut the whole run off after this long, e.g. 15m (1ms to 24d)" },
  "hold-ttl": {
    type: "string",
    description:
      "The target releases unpaid holds this long after taking them, e.g. 3s (100ms to 30d) [default: the scenario's given.holdTtl, else holds last for ever]",
  },
  "expiry-grace": {
    type: "string",
    description:
      "How much later than --hold-ttl the target may release a hold (its sweep interval) [default min(ttl, 1s) + 1s]",
  },
  json: { type: "string", description: "Write the JSON report to this file" },
  junit: { type: "string", description: "Write a JUnit XML report to this file" },
  html: { type: "string", description: "Write a self-contained HTML report to this file" },
  progress: { type: "boolean", default: true, description: "Show progress (--no-progress: quiet)" },
} as const;

export interface ScenarioArgs {
  scenario: string;
  target: string;
  "admin-key"?: string | undefined;
  admin?: boolean | undefined;
  speed?: string | undefined;
  phase?: string | undefined;
  timeout?: string | undefined;
  "max-duration"?: string | undefined;
  "hold-ttl"?: string | undefined;
  "expiry-grace"?: string | undefined;
  json?: string | undefined;
  junit?: string | undefined;
  html?: string | undefined;
  progress?: boolean | undefined;
}

/** Parses the options into runner options, or throws a message naming the option and the fix. */
export function runOptionsFrom(args: ScenarioArgs) {
  const speed = args.speed === undefined ? 1 : Number(args.speed);
  if (!Number.isFinite(speed) || speed <= 0)
    throw new Error(`--speed must be a positive number, e.g. 60 (got "${args.speed}")`);
  try {
    new URL(args.target);
  } catch {
    throw new Error(`--target must be a base URL such as http://127.0.0.1:8080 (got "${args.target}")`);
  }
  return {
    target: args.target,
    adminKey: args.admin === false ? null : (args["admin-key"] ?? "stockproof-admin"),
    speed,
    ...(args.phase === undefined ? {} : { phase: args.phase }),
    ...(args.timeout === undefined
      ? {}
      : { requestTimeoutMs: parseDurationFlag("--timeout", args.timeout, clientTimeoutRange) }),
    ...(args["max-duration"] === undefined
      ? {}
      : { runTimeoutMs: parseDurationFlag("--max-duration", args["max-duration"], clientTimeoutRange) }),
    ...(args["hold-ttl"] === undefined
      ? {}
      : { holdTtlMs: parseDurationFlag("--hold-ttl", args["hold-ttl"], holdTtlRange) }),
    ...(args["expiry-grace"] === undefined
      ? {}
      : { expiryGraceMs: parseDurationFlag("--expiry-grace", args["expiry-grace"], clientTimeoutRange) }),
  };
}

/** Loads a scenario or exits with the file's problems (line and column). */
export function loadOrExit(nameOrPath: string) {
  const loaded = loadScenario(nameOrPath);
  if (!loaded.ok) {
    console.error(formatLoadError(loaded.error));
    process.exit(2);
  }
  return loaded.value;
}

/** The run options of the flags, or exit 2 with the message naming the bad flag. */
export function optionsOrExit(args: ScenarioArgs): ReturnType<typeof runOptionsFrom> {
  try {
    return runOptionsFrom(args);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
}

export const runCommand = defineCommand({
  meta: {
    name: "run",
    description:
      "Run a Given-When-Then scenario against a server and judge it by the stock model. Exit 0 only when every check passes.",
  },
  args: scenarioArgs,
  async run({ args }) {
    const scenario = loadOrExit(args.scenario);
    const options = optionsOrExit(args);
    const view = args.progress === false ? null : createProgressView();
    const result = await runScenario(scenario, { ...options, ...(view ? { onProgress: (p) => view.update(p) } : {}) });
    view?.stop();
    const verdict = checkRun(result);
    console.log(terminalReport(result, verdict, process.stdout.isTTY ? ansi : plain));
    for (const path of writeReports(args, result, verdict)) console.log(`wrote ${path}`);
    process.exitCode = verdict.verdict === "pass" ? 0 : 1;
  },
});
