/**
 * @module
 * `stockproof shrink`: shrinks a failing scenario to the smallest that fails alike, and writes it out.
 */

import { clientTimeoutRange, formatDuration, parseDurationFlag } from "../base/config/duration.js";
import { CannotJudge, UsageError } from "../base/config/errors.js";
import type { OptionTable } from "../base/config/options.js";
import {
  adminKeyFrom,
  parseClientOption,
  parseIntegerOption,
  parsePositiveOption,
  parseTargetOption,
  parseUsersOption,
  requestTimeoutFrom,
  snapshotReadsFrom,
  vocabulary,
} from "../base/config/vocabulary.js";
import { jsonText, writeReportFile } from "../base/report-kit/write.js";
import { prepareAudit } from "../verify/audit/audit.js";
import { type ClassId, failureClasses } from "../verify/audit/classes.js";
import { type Credentials, withCredentials } from "../verify/audit/credentials.js";
import { createStockObserver } from "../verify/history/stock-observer.js";
import { shrinkHtml } from "../verify/report/shrink/html.js";
import { shrinkJson } from "../verify/report/shrink/json.js";
import { type ReportContext, shrinkText } from "../verify/report/shrink/text.js";
import { readDocument } from "../verify/shrink/document.js";
import { auditRunner } from "../verify/shrink/judge.js";
import { reproFile } from "../verify/shrink/repro-file.js";
import { type ShrinkEvent, shrink, shrinkDefaults } from "../verify/shrink/search.js";
import { describeSize } from "../verify/shrink/size.js";
import { defineCliCommand } from "./command.js";
import { exitCodes } from "./exit-codes.js";
import { replayCommand } from "./shrink-replay.js";

const classIds = failureClasses.map((c) => c.id);

const shrinkOptions = {
  scenario: {
    type: "positional",
    description: "The failing scenario: a built-in name or a scenario YAML file (default: the --class's own scenario)",
  },
  target: vocabulary.target,
  class: {
    type: "string",
    valueHint: "CLASS",
    description: `The failure class to reproduce: ${classIds.join(", ")}`,
    defaultText: "the first class that fails",
  },
  out: {
    type: "string",
    valueHint: "FILE",
    description: "Where to write the smallest failing scenario",
    defaultText: "<scenario>-repro.yaml",
  },
  budget: {
    type: "string",
    valueHint: "DURATION",
    description: "Stop searching after this long, leaving time for the --confirm runs, e.g. 5m",
    default: "2m",
  },
  runs: {
    type: "string",
    valueHint: "N",
    description: "Runs per candidate scenario",
    default: String(shrinkDefaults.rule.runs),
  },
  keep: {
    type: "string",
    valueHint: "K",
    description: "A candidate is kept when it fails in at least K of its --runs runs",
    default: String(shrinkDefaults.rule.keep),
  },
  reruns: {
    type: "string",
    valueHint: "N",
    description: "Reruns of a first failure before it is called not reproduced",
    default: String(shrinkDefaults.reruns),
  },
  confirm: {
    type: "string",
    valueHint: "N",
    description: "Runs of the file written, to measure its failure rate",
    default: String(shrinkDefaults.confirm),
  },
  "admin-key": vocabulary["admin-key"],
  admin: { ...vocabulary.admin, description: "Use the target's test-control API (--no-admin: never)" },
  setup: {
    type: "string",
    valueHint: "COMMAND",
    description: "Shell command run before each run with its given stock as JSON on stdin (the target's own reset)",
  },
  "read-lag": vocabulary["read-lag"],
  snapshot: {
    type: "string",
    valueHint: "COMMAND",
    description: 'Shell command printing available stock per SKU as JSON ({"311191": 50}) after each run',
  },
  probe: {
    type: "boolean",
    default: true,
    description: "Measure final stock through the public API when there is no snapshot (--no-probe: do not)",
  },
  users: vocabulary.users,
  client: vocabulary.client,
  speed: {
    type: "string",
    valueHint: "FACTOR",
    description: "Compress rate traffic by this factor",
    default: "60",
  },
  timeout: vocabulary.timeout,
  json: vocabulary.json,
  html: vocabulary.html,
  progress: { ...vocabulary.progress, description: "Print a line per candidate on stderr (--no-progress: quiet)" },
} as const satisfies OptionTable;

/** A progress line per run of the scenario given and of the file's confirmation, and per candidate tried. */
function progressLines(): (event: ShrinkEvent) => string {
  const counts = { find: 0, rerun: 0, confirm: 0 };
  const words = { find: "run", rerun: "rerun", confirm: "confirmation run" };
  return (event) => {
    if (event.kind === "run") {
      counts[event.stage]++;
      return `  ${words[event.stage]} ${counts[event.stage]}: ${event.status === "fail" ? "failed" : event.status === "pass" ? "passed" : "not judged"}`;
    }
    const { trial } = event;
    const unjudged = trial.unjudged === 0 ? "" : `, ${trial.unjudged} not judged`;
    return `  ${(event.elapsedMs / 1000).toFixed(1).padStart(6)} s  #${event.tried} ${event.change}: failed ${trial.failed} of ${trial.runs}${unjudged} → ${trial.kept ? "kept" : "dropped"}; smallest ${describeSize(event.best)}`;
  };
}

export const shrinkCommand = defineCliCommand({
  name: "shrink",
  description:
    "Shrink a failing scenario to the smallest one that still fails the same failure class against the same target, and write it as a scenario file to commit and replay. Exit 0 when nothing fails.",
  options: shrinkOptions,
  examples: [
    "stockproof shrink seed-3-1 --target http://127.0.0.1:8080 --out oversell-repro.yaml",
    "stockproof shrink --class double-restore --target http://127.0.0.1:8080 --html shrink.html",
    "stockproof shrink my-carts.yaml --target https://dev.example.com --no-admin --setup ./reset-stock.sh --snapshot ./stock.sh --budget 5m",
  ],
  exitCodes:
    "0 nothing failed: nothing to shrink, no file written · 1 a failure class failed: shrunk and written, seen once and not reproduced (no file), or another class than --class failed · 2 bad usage or scenario file · 3 could not judge (target unreachable, set-up refused, the class — without --class, any class — judged in no run)",
  async run({ values, from }, io) {
    const target = parseTargetOption(from.target, values.target);
    const klass = values.class;
    if (klass !== undefined && !classIds.includes(klass as ClassId))
      throw new UsageError(`${from.class} must be one of ${classIds.join(", ")} (got "${klass}")`);
    const name = values.scenario ?? failureClasses.find((c) => c.id === klass)?.primary;
    if (name === undefined)
      throw new UsageError(
        "give the failing scenario (a built-in name or a file), or --class CLASS to use its own scenario",
      );
    const loaded = readDocument(name);
    if (!loaded.ok) throw new UsageError(loaded.error);
    const rule = {
      runs: parseIntegerOption(from.runs, values.runs, 1, 100),
      keep: parseIntegerOption(from.keep, values.keep, 1, 100),
    };
    if (rule.keep > rule.runs)
      throw new UsageError(`${from.keep} (${rule.keep}) must be at most ${from.runs} (${rule.runs})`);
    const budgetMs = parseDurationFlag(from.budget, values.budget, clientTimeoutRange);
    const reruns = parseIntegerOption(from.reruns, values.reruns, 1, 1000);
    const confirm = parseIntegerOption(from.confirm, values.confirm, 1, 1000);
    const speed = parsePositiveOption(from.speed, values.speed);
    const { requestTimeoutMs } = requestTimeoutFrom(values.timeout, from.timeout);
    const client = values.client === undefined ? undefined : parseClientOption(from.client, values.client);
    const credentials: Credentials = {
      ...(client === undefined ? {} : { clientId: client.id, clientSecret: client.secret }),
      ...(values.users === undefined ? {} : { users: parseUsersOption(from.users, values.users) }),
    };
    const scenario = withCredentials(loaded.value.scenario, credentials);
    const setup = values.setup ?? null;
    const snapshot = values.snapshot ?? null;
    const adminKey = adminKeyFrom(values);
    // The audit's own preflight: unreachable target, refused logins or key are exit 3 before any run.
    const prepared = await prepareAudit(
      { target, adminKey, setup, ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }) },
      [scenario],
    );
    const stockSetup = prepared.setupFor(scenario);
    // Every candidate must start from its own given stock: declared stock, set once by hand, cannot.
    if (stockSetup.kind === "declared")
      throw new CannotJudge(
        `shrink sets the stock before every run, and ${target} ${prepared.adminKey === null ? "has no test-control API in use" : "takes its stock as declared by the scenario"}`,
        "give --setup COMMAND (the target's own reset, the given stock as JSON on stdin), or use the test-control API (--admin-key)",
      );
    const run = auditRunner({
      target,
      adminKey: prepared.adminKey,
      setup: stockSetup,
      observer: createStockObserver({
        target,
        snapshotCommand: snapshot,
        probe: values.probe,
        ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
        ...snapshotReadsFrom({ "read-lag": values["read-lag"] }, from),
      }),
      speed,
      ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
    });
    const context: ReportContext = { scenario: name, target, rule, budgetMs };
    if (values.progress)
      io.err(
        `shrink ${name} against ${target}: budget ${formatDuration(budgetMs)}, a candidate kept when it fails in ${rule.keep} of ${rule.runs} runs`,
      );
    const progress = values.progress ? progressLines() : null;
    const outcome = await shrink({
      document: loaded.value.document,
      source: loaded.value.scenario.source,
      klass: (klass as ClassId | undefined) ?? null,
      run,
      prepare: (s) => withCredentials(s, credentials),
      rule,
      reruns,
      confirm,
      budgetMs,
      ...(progress === null ? {} : { onEvent: (event: ShrinkEvent) => io.err(progress(event)) }),
    });
    const out = values.out ?? `${loaded.value.document.name}-repro.yaml`;
    const replay =
      outcome.kind === "shrunk"
        ? replayCommand({
            file: out,
            target,
            setup: stockSetup,
            snapshot,
            adminKey: prepared.adminKey,
            speed,
            credentials,
            scenario: outcome.result.scenario,
          })
        : null;
    io.out(shrinkText(outcome, context));
    if (outcome.kind === "shrunk" && replay !== null) {
      writeReportFile(out, reproFile(outcome, target, replay));
      io.out(`wrote ${out}`);
      io.out(`replay: ${replay}`);
    }
    if (values.json !== undefined) {
      const file = outcome.kind === "shrunk" ? out : null;
      writeReportFile(values.json, jsonText(shrinkJson(outcome, context, file, replay)));
      io.out(`wrote ${values.json}`);
    }
    if (values.html !== undefined) {
      writeReportFile(values.html, shrinkHtml(outcome, context, replay));
      io.out(`wrote ${values.html}`);
    }
    if (outcome.kind === "nothing")
      // A class no run could judge is not known to pass (when no class was named, every class counts).
      return outcome.passed === 0 || outcome.neverJudged.length > 0
        ? exitCodes.cannotJudge
        : outcome.othersFailed.length > 0
          ? exitCodes.failed
          : exitCodes.pass;
    return exitCodes.failed;
  },
});
