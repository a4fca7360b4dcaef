/**
 * @module
 * `stockproof audit`: runs every failure-class scenario against a server and gives one verdict per class.
 */

import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../base/config/errors.js";
import type { OptionTable } from "../base/config/options.js";
import {
  adminKeyFrom,
  holdDeclarationFrom,
  parseClientOption,
  parsePositiveOption,
  parseTargetOption,
  parseUsersOption,
  requestTimeoutFrom,
  snapshotReadsFrom,
  vocabulary,
} from "../base/config/vocabulary.js";
import { jsonText, writeReportFile } from "../base/report-kit/write.js";
import { type AuditOptions, auditScenarioNames, auditScenarios, runAudit } from "../verify/audit/audit.js";
import { runAuditShard } from "../verify/audit/audit-shard.js";
import { failureClasses } from "../verify/audit/classes.js";
import type { PhaseRecorder } from "../verify/audit/scenario-audit.js";
import type { Shard } from "../verify/history/shard.js";
import { auditHtml } from "../verify/report/audit/html.js";
import { auditJson } from "../verify/report/audit/json.js";
import { auditJunit } from "../verify/report/audit/junit.js";
import { formatAuditText } from "../verify/report/audit/text.js";
import { defineCliCommand } from "./command.js";
import { exitOfVerdict } from "./exit-codes.js";
import { type HistoryPlan, historyOptions, recordingFlagsFrom, runRecorded, shardSummary } from "./history-args.js";

const auditOptions = {
  target: vocabulary.target,
  scenarios: {
    type: "string",
    valueHint: "NAME,…",
    description: "Comma-separated scenarios (built-in names or files)",
    defaultText: `${auditScenarioNames.join(",")}, and expiry with --hold-ttl`,
  },
  setup: {
    ...vocabulary.setup,
    description:
      "Shell command run before each scenario phase with its given stock as JSON on stdin (the target's own reset)",
    legacyEnv: ["STOCKPROOF_AUDIT_SETUP"],
  },
  snapshot: { ...vocabulary.snapshot, legacyEnv: ["STOCKPROOF_AUDIT_SNAPSHOT"] },
  probe: {
    type: "boolean",
    default: true,
    description: "Measure final stock through the public API when there is no snapshot (--no-probe: do not)",
  },
  "admin-key": {
    ...vocabulary["admin-key"],
    description:
      "X-Admin-Key of the target's test-control API; a refused key stops the audit (exit 3) unless --admin-fallback",
  },
  admin: { ...vocabulary.admin, description: "Try the test-control API (--no-admin: never)" },
  "admin-fallback": {
    type: "boolean",
    description:
      "When the test-control API refuses the key or is missing, go on with declared stock (and say so in the report's first lines)",
  },
  // STOCKPROOF_AUDIT_USERS is audit's older name for STOCKPROOF_USERS: only audit reads it.
  users: { ...vocabulary.users, legacyEnv: ["STOCKPROOF_AUDIT_USERS"] },
  client: vocabulary.client,
  "client-id": {
    type: "string",
    valueHint: "ID",
    description: "OAuth client id (older spelling of --client ID:SECRET)",
    legacyEnv: ["STOCKPROOF_AUDIT_CLIENT_ID"],
  },
  "client-secret": {
    type: "string",
    valueHint: "SECRET",
    description: "OAuth client secret (older spelling of --client ID:SECRET)",
    legacyEnv: ["STOCKPROOF_AUDIT_CLIENT_SECRET"],
  },
  scale: {
    type: "string",
    valueHint: "FACTOR",
    description: "Multiply every scenario's rounds and stock, e.g. 0.2 or 2",
    default: "1",
  },
  speed: {
    type: "string",
    valueHint: "FACTOR",
    description: "Compress rate traffic (seed-3-2's 10 minutes) by this factor",
    default: "60",
  },
  timeout: vocabulary.timeout,
  "hold-ttl": vocabulary["hold-ttl"],
  "expiry-grace": vocabulary["expiry-grace"],
  "settle-timeout": vocabulary["settle-timeout"],
  "read-lag": vocabulary["read-lag"],
  strict: { type: "boolean", description: "Fail on status codes that differ from the reference contract" },
  json: vocabulary.json,
  junit: vocabulary.junit,
  html: vocabulary.html,
  progress: { ...vocabulary.progress, description: "Print a line per scenario phase (--no-progress: quiet)" },
  history: {
    ...historyOptions.history,
    valueHint: "FILE|DIR",
    description:
      "Write each scenario phase's history for `stockproof check`: a .jsonl file when the audit runs one phase, else a directory (one <scenario>.<phase>[.shard-i-of-N].jsonl each)",
  },
  shard: {
    ...historyOptions.shard,
    description:
      "Send only this generator's share of the rounds of one single-phase scenario: i/N, i from 0 (needs --history); prints what it sent, no verdict",
  },
  "start-at": historyOptions["start-at"],
} as const satisfies OptionTable;

const fileSafe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, "_");

/**
 * Where each phase's history goes: the .jsonl file given (one phase only), or one file a phase in
 * the directory given. Throws a UsageError naming the flag when a file would take several phases.
 */
function historyPaths(path: string, phases: number, shard: Shard | null): (scenario: string, phase: number) => string {
  const isDirectory = !path.endsWith(".jsonl") || (existsSync(path) && statSync(path).isDirectory());
  if (!isDirectory) {
    if (phases > 1)
      throw new UsageError(
        `--history ${path} is one file, but this audit runs ${phases} scenario phases: give a directory (e.g. --history histories/), one file a phase.`,
      );
    return () => path;
  }
  mkdirSync(path, { recursive: true });
  const suffix = shard === null || shard.count === 1 ? "" : `.shard-${shard.index}-of-${shard.count}`;
  return (scenario, phase) => join(path, `${fileSafe(scenario)}.${phase}${suffix}.jsonl`);
}

/** Wraps each phase's run to record its history (and release it at --start-at); none without either flag. */
function recorder(
  recording: HistoryPlan,
  target: string,
  scenarios: ReturnType<typeof auditScenarios>,
  out: (line: string) => void,
  wrote: string[] = [],
): PhaseRecorder | undefined {
  if (recording.file === null && recording.startAt === null) return undefined;
  const phases = scenarios.ok ? scenarios.value.reduce((n, s) => n + s.phases.length, 0) : 0;
  const pathOf = recording.file === null ? null : historyPaths(recording.file, phases, recording.shard);
  return async (scenario, phase, go) => {
    const file = pathOf === null ? null : pathOf(scenario.name, phase);
    const { result, wrote: written } = await runRecorded({ ...recording, file }, target, go);
    if (written !== null) {
      out(`wrote history ${written}`);
      wrote.push(written);
    }
    return result;
  };
}

export const auditCommand = defineCliCommand({
  name: "audit",
  description:
    "Run every failure-class scenario against a server and give one verdict per class (oversell, lost update, double restore, paid-and-cancelled, 5xx under contention, timeouts, wrong rejections). Exit 0 only when every class passes.",
  options: auditOptions,
  examples: [
    "stockproof audit --target http://127.0.0.1:8080 --junit audit.xml --html audit.html",
    "stockproof audit --target https://dev.example.com --no-admin --setup ./reset-stock.sh --snapshot ./stock.sh",
    "stockproof audit --target https://dev.example.com --users buyer=qa@example.com:pw,other=qa2@example.com:pw --scale 0.2",
    "stockproof audit --target http://127.0.0.1:8080 --scenarios contention --scale 50 --shard 0/3 --start-at 2026-05-01T10:00:00Z --history shard-0.jsonl",
  ],
  async run({ values, from }, io) {
    const target = parseTargetOption(from.target, values.target);
    const client = values.client === undefined ? undefined : parseClientOption(from.client, values.client);
    const clientId = client?.id ?? values["client-id"];
    const clientSecret = client?.secret ?? values["client-secret"];
    const options: AuditOptions = {
      target,
      ...(values.scenarios === undefined ? {} : { scenarios: values.scenarios.split(",").map((s) => s.trim()) }),
      adminKey: adminKeyFrom(values),
      adminFallback: values["admin-fallback"],
      setup: values.setup ?? null,
      snapshot: values.snapshot ?? null,
      probe: values.probe,
      scale: parsePositiveOption(from.scale, values.scale),
      speed: parsePositiveOption(from.speed, values.speed),
      ...requestTimeoutFrom(values.timeout, from.timeout),
      ...holdDeclarationFrom(values, from),
      ...snapshotReadsFrom(values, from),
      credentials: {
        ...(clientId === undefined ? {} : { clientId }),
        ...(clientSecret === undefined ? {} : { clientSecret }),
        ...(values.users === undefined ? {} : { users: parseUsersOption(from.users, values.users) }),
      },
      strict: values.strict,
      ...(io.interrupt === undefined ? {} : { interrupt: io.interrupt }),
      ...(values.progress ? { onProgress: (line: string) => io.err(line) } : {}),
    };
    const recording = recordingFlagsFrom(values);
    const wrote: string[] = [];
    const record = recorder(recording, target, auditScenarios(options), (line) => io.out(line), wrote);
    if (recording.shard !== null && recording.shard.count > 1 && record !== undefined) {
      const shard = recording.shard;
      const run = await runAuditShard({ ...options, shard, record });
      if (!run.ok) throw new UsageError(run.error);
      const { result } = run.value;
      const scale = options.scale === 1 ? "" : ` --scale ${values.scale}`;
      // As run's: without the test-control API, check reads the final stock by --snapshot, or is given it.
      const finalStock =
        options.adminKey !== null && values.setup === undefined
          ? ({ kind: "admin" } as const)
          : values.snapshot !== undefined
            ? ({ kind: "snapshot", command: values.snapshot } as const)
            : ({ kind: "none" } as const);
      io.out(
        shardSummary(result, shard, values.scenarios ?? result.scenario.name, scale, wrote[0] ?? null, finalStock),
      );
      // As run's shards: a set-up that failed or a target that stopped cannot be judged (3).
      if (result.setupError !== null || result.stopped !== null) return 3;
      return result.timedOut ? 1 : 0;
    }
    const report = await runAudit({ ...options, ...(record === undefined ? {} : { record }) });
    if (!report.ok) throw new UsageError(report.error);
    const primaries = new Map(failureClasses.map((c) => [c.id as string, c.primary]));
    io.out(formatAuditText(report.value, primaries, io.columns ?? 120));
    const written: [string | undefined, () => string][] = [
      [values.json, () => jsonText(auditJson(report.value))],
      [values.junit, () => auditJunit(report.value)],
      [values.html, () => auditHtml(report.value, primaries)],
    ];
    for (const [path, render] of written) {
      if (path === undefined) continue;
      writeReportFile(path, render());
      io.out(`wrote ${path}`);
    }
    return exitOfVerdict(report.value.verdict);
  },
});
