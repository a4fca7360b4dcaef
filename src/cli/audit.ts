import { auditScenarioNames, runAudit } from "../audit/audit.js";
import { failureClasses } from "../audit/classes.js";
import { auditHtml } from "../audit/report/html.js";
import { auditJson } from "../audit/report/json.js";
import { auditJunit } from "../audit/report/junit.js";
import { formatAuditText } from "../audit/report/text.js";
import { clientTimeoutRange, holdTtlRange, parseDurationFlag } from "../config/duration.js";
import { UsageError } from "../config/errors.js";
import type { OptionTable } from "../config/options.js";
import {
  parseClientOption,
  parsePositiveOption,
  parseTargetOption,
  parseUsersOption,
  vocabulary,
} from "../config/vocabulary.js";
import { jsonText, writeReportFile } from "../report/write.js";
import { defineCliCommand } from "./command.js";

const auditOptions = {
  target: vocabulary.target,
  scenarios: {
    type: "string",
    valueHint: "NAME,…",
    description: "Comma-separated scenarios (built-in names or files)",
    defaultText: `${auditScenarioNames.join(",")}, and expiry with --hold-ttl`,
  },
  setup: {
    type: "string",
    valueHint: "COMMAND",
    description:
      "Shell command run before each scenario phase with its given stock as JSON on stdin (the target's own reset)",
    legacyEnv: ["STOCKPROOF_AUDIT_SETUP"],
  },
  snapshot: {
    type: "string",
    valueHint: "COMMAND",
    description: 'Shell command printing available stock per SKU as JSON ({"311191": 50}) after each phase',
    legacyEnv: ["STOCKPROOF_AUDIT_SNAPSHOT"],
  },
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
  users: vocabulary.users,
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
  "hold-ttl": {
    type: "string",
    valueHint: "DURATION",
    description:
      "The target releases unpaid holds this long after taking them, from 100ms to 30d, e.g. 3s; judges hold expiry and adds the expiry scenario",
  },
  "expiry-grace": {
    type: "string",
    valueHint: "DURATION",
    description: "How much later than --hold-ttl the target may release a hold (its sweep interval)",
    defaultText: "min(ttl, 1s) + 1s",
  },
  "settle-timeout": {
    type: "string",
    valueHint: "DURATION",
    description: "Read --snapshot until two reads agree, for at most this long (a replica that lags)",
    defaultText: "5s",
  },
  strict: { type: "boolean", description: "Fail on status codes that differ from the reference contract" },
  json: vocabulary.json,
  junit: vocabulary.junit,
  html: vocabulary.html,
  progress: { ...vocabulary.progress, description: "Print a line per scenario phase (--no-progress: quiet)" },
} as const satisfies OptionTable;

export const auditCommand = defineCliCommand({
  name: "audit",
  description:
    "Run every failure-class scenario against a server and give one verdict per class (oversell, lost update, double restore, paid-and-cancelled, 5xx under contention, timeouts, wrong rejections). Exit 0 only when every class passes.",
  options: auditOptions,
  examples: [
    "stockproof audit --target http://127.0.0.1:8080 --junit audit.xml --html audit.html",
    "stockproof audit --target https://dev.example.com --no-admin --setup ./reset-stock.sh --snapshot ./stock.sh",
    "stockproof audit --target https://dev.example.com --users buyer=qa@example.com:pw,other=qa2@example.com:pw --scale 0.2",
  ],
  async run({ values, from }, io) {
    const target = parseTargetOption(from.target, values.target);
    const client = values.client === undefined ? undefined : parseClientOption(from.client, values.client);
    const clientId = client?.id ?? values["client-id"];
    const clientSecret = client?.secret ?? values["client-secret"];
    const report = await runAudit({
      target,
      ...(values.scenarios === undefined ? {} : { scenarios: values.scenarios.split(",").map((s) => s.trim()) }),
      adminKey: values.admin ? (values["admin-key"] ?? vocabulary["admin-key"].defaultText) : null,
      adminFallback: values["admin-fallback"],
      setup: values.setup ?? null,
      snapshot: values.snapshot ?? null,
      probe: values.probe,
      scale: parsePositiveOption(from.scale, values.scale),
      speed: parsePositiveOption(from.speed, values.speed),
      ...(values.timeout === undefined
        ? {}
        : { requestTimeoutMs: parseDurationFlag(from.timeout, values.timeout, clientTimeoutRange) }),
      ...(values["hold-ttl"] === undefined
        ? {}
        : { holdTtlMs: parseDurationFlag(from["hold-ttl"], values["hold-ttl"], holdTtlRange) }),
      ...(values["expiry-grace"] === undefined
        ? {}
        : { expiryGraceMs: parseDurationFlag(from["expiry-grace"], values["expiry-grace"], clientTimeoutRange) }),
      ...(values["settle-timeout"] === undefined
        ? {}
        : {
            settleTimeoutMs: parseDurationFlag(from["settle-timeout"], values["settle-timeout"], clientTimeoutRange),
          }),
      credentials: {
        ...(clientId === undefined ? {} : { clientId }),
        ...(clientSecret === undefined ? {} : { clientSecret }),
        ...(values.users === undefined ? {} : { users: parseUsersOption(from.users, values.users) }),
      },
      strict: values.strict,
      ...(values.progress ? { onProgress: (line: string) => io.err(line) } : {}),
    });
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
    return report.value.verdict === "pass" ? 0 : 1;
  },
});
