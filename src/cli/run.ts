/**
 * @module
 * `stockproof run`: runs a scenario against a server and judges it by the stock model (options shared).
 */

import { clientTimeoutRange, parseDurationFlag } from "../base/config/duration.js";
import { UsageError } from "../base/config/errors.js";
import type { OptionSources, OptionTable } from "../base/config/options.js";
import {
  adminKeyFrom,
  holdDeclarationFrom,
  parseClientOption,
  parsePositiveOption,
  parseTargetOption,
  parseUsersOption,
  requestTimeoutFrom,
  vocabulary,
} from "../base/config/vocabulary.js";
import { withCredentials } from "../verify/audit/credentials.js";
import { testSuspectedExpiry } from "../verify/audit/expiry-hypothesis.js";
import { createStockObserver } from "../verify/history/stock-observer.js";
import { preflight } from "../verify/probe/preflight.js";
import { ansi, plain, terminalReport } from "../verify/report/run/terminal.js";
import { writeReports } from "../verify/report/run/write.js";
import { builtinNames } from "../verify/scenario/builtins.js";
import { checkRun } from "../verify/scenario/check/index.js";
import { formatLoadError, loadScenario } from "../verify/scenario/load.js";
import { createProgressView } from "../verify/scenario/progress.js";
import { runScenario } from "../verify/scenario/runner.js";
import type { Scenario } from "../verify/scenario/types.js";
import { defineCliCommand } from "./command.js";
import { exitOfVerdict } from "./exit-codes.js";
import { historyOptions, historyPlanFrom, runRecorded, shardSummary } from "./history-args.js";
import { targetStock } from "./target-stock.js";

/** Options shared by `run` and `compare`. */
export const scenarioOptions = {
  scenario: {
    type: "positional",
    required: true,
    description: `A built-in scenario (${builtinNames().join(", ")}) or a scenario YAML file`,
  },
  target: vocabulary.target,
  "admin-key": vocabulary["admin-key"],
  admin: {
    ...vocabulary.admin,
    description:
      "Use the target's test-control API (--no-admin: the target has none; declare the stock in the scenario)",
  },
  setup: vocabulary.setup,
  snapshot: vocabulary.snapshot,
  users: vocabulary.users,
  client: vocabulary.client,
  speed: {
    type: "string",
    valueHint: "FACTOR",
    description: "Compress the time of rate traffic by this factor, e.g. 60",
    default: "1",
  },
  phase: { type: "string", valueHint: "NAME", description: "Run only the phase with this name" },
  timeout: vocabulary.timeout,
  "max-duration": {
    type: "string",
    valueHint: "DURATION",
    description: "Cut the whole run off after this long, from 1ms to 24d, e.g. 15m",
    defaultText: "the rate spread + 5m",
  },
  "hold-ttl": vocabulary["hold-ttl"],
  "expiry-grace": vocabulary["expiry-grace"],
  json: vocabulary.json,
  junit: vocabulary.junit,
  html: vocabulary.html,
  progress: vocabulary.progress,
} as const satisfies OptionTable;

export interface ScenarioArgs {
  readonly scenario: string;
  readonly target: string;
  readonly "admin-key"?: string | undefined;
  readonly admin?: boolean | undefined;
  readonly speed?: string | undefined;
  readonly phase?: string | undefined;
  readonly timeout?: string | undefined;
  readonly "max-duration"?: string | undefined;
  readonly "hold-ttl"?: string | undefined;
  readonly "expiry-grace"?: string | undefined;
}

const flagLabel = (name: string) => `--${name}`;

/** Parses the options into runner options, or throws a UsageError naming the option (flag or variable) and the fix. */
export function runOptionsFrom(args: ScenarioArgs, from: Partial<OptionSources<typeof scenarioOptions>> = {}) {
  const label = (name: keyof typeof scenarioOptions) => from[name] ?? flagLabel(name);
  return {
    target: parseTargetOption(label("target"), args.target),
    adminKey: adminKeyFrom(args),
    speed: args.speed === undefined ? 1 : parsePositiveOption(label("speed"), args.speed),
    ...(args.phase === undefined ? {} : { phase: args.phase }),
    ...requestTimeoutFrom(args.timeout, label("timeout")),
    ...(args["max-duration"] === undefined
      ? {}
      : { runTimeoutMs: parseDurationFlag(label("max-duration"), args["max-duration"], clientTimeoutRange) }),
    ...holdDeclarationFrom(args, { "hold-ttl": label("hold-ttl"), "expiry-grace": label("expiry-grace") }),
  };
}

/** Loads a scenario and puts --users/--client in place of its own; a bad file is a usage error (exit 2). */
export function scenarioFrom(
  nameOrPath: string,
  credentials: { users?: string | undefined; client?: string | undefined },
  from: Partial<OptionSources<typeof scenarioOptions>> = {},
): Scenario {
  const loaded = loadScenario(nameOrPath);
  if (!loaded.ok) throw new UsageError(formatLoadError(loaded.error));
  const client =
    credentials.client === undefined ? undefined : parseClientOption(from.client ?? "--client", credentials.client);
  return withCredentials(loaded.value, {
    ...(credentials.users === undefined ? {} : { users: parseUsersOption(from.users ?? "--users", credentials.users) }),
    ...(client === undefined ? {} : { clientId: client.id, clientSecret: client.secret }),
  });
}

/**
 * The preflight before any phase: target reachable, users and client log in, admin key taken when
 * the scenario sets stock through it. Throws CannotJudge (exit 3); returns the admin key to use
 * (null when a declared-stock run's key is refused: the run then goes on without snapshots).
 */
export async function checkTarget(
  scenario: Scenario,
  options: { target: string; adminKey: string | null; requestTimeoutMs?: number },
): Promise<string | null> {
  const found = await preflight({
    target: options.target,
    client: scenario.client,
    users: scenario.users,
    adminKey: options.adminKey,
    adminRequired: scenario.stockSetup === "admin",
    timeoutMs: Math.min(options.requestTimeoutMs ?? scenario.limits.requestTimeoutMs, 10_000),
  });
  return found.admin === "ok" ? options.adminKey : null;
}

export const runCommand = defineCliCommand({
  name: "run",
  description:
    "Run a Given-When-Then scenario against a server and judge it by the stock model. Exit 0 only when every check passes.",
  options: { ...scenarioOptions, ...historyOptions },
  examples: [
    "stockproof run races --target http://127.0.0.1:8080",
    'stockproof run seed-3-1 --target http://127.0.0.1:8080 --phase "1000 simultaneous" --shard 0/3 --start-at 2026-05-01T10:00:00Z --history shard-0.jsonl',
    "stockproof run seed-3-2 --target http://127.0.0.1:8080 --speed 60 --junit run.xml --html run.html",
    'stockproof run my-3-2.yaml --target https://dev.example.com --admin-key "$KEY" --users buyer=qa@example.com:pw',
    'stockproof run my-3-1.yaml --target https://dev.example.com --no-admin --phase "100 simultaneous"',
  ],
  async run({ values, from }, io) {
    const options = runOptionsFrom(values, from);
    const { scenario, hooks } = targetStock(scenarioFrom(values.scenario, values, from), values);
    // Flags first: a bad --shard or --start-at is a usage error before the target is asked anything.
    const recording = historyPlanFrom(values, scenario, values.phase);
    const adminKey = await checkTarget(scenario, options);
    const view = values.progress ? createProgressView(io.errStream) : null;
    const { result, wrote } = await runRecorded(recording, options.target, (extra) =>
      runScenario(scenario, {
        ...options,
        ...extra,
        adminKey,
        ...hooks,
        ...(io.interrupt === undefined ? {} : { interrupt: io.interrupt }),
        ...(view ? { onProgress: (p) => view.update(p) } : {}),
      }),
    );
    view?.stop();
    if (wrote !== null) io.out(`wrote history ${wrote}`);
    if (recording.shard !== null && recording.shard.count > 1) {
      // One shard's share cannot be judged alone: the stock moved under every shard's requests.
      const finalStock =
        adminKey !== null
          ? ({ kind: "admin" } as const)
          : values.snapshot !== undefined
            ? ({ kind: "snapshot", command: values.snapshot } as const)
            : ({ kind: "none" } as const);
      io.out(shardSummary(result, recording.shard, values.scenario, "", wrote, finalStock));
      // The shard's own share: a set-up that failed or a target that stopped cannot be judged (3).
      if (result.setupError !== null || result.stopped !== null) return 3;
      return result.timedOut ? 1 : 0;
    }
    // Holds that seem to expire with no TTL declared are tested against the target before giving up.
    const tested = await testSuspectedExpiry(result, checkRun(result), {
      target: options.target,
      adminKey,
      observer: createStockObserver({ target: options.target, snapshotCommand: values.snapshot ?? null, probe: false }),
      ...(io.interrupt === undefined ? {} : { interrupt: io.interrupt }),
    });
    const verdict = tested.verdict;
    const judged = { ...tested.result, notes: [...tested.result.notes, ...tested.notes] };
    io.out(terminalReport(judged, verdict, io.color ? ansi : plain));
    for (const path of writeReports(values, judged, verdict)) io.out(`wrote ${path}`);
    return exitOfVerdict(verdict.verdict);
  },
});
