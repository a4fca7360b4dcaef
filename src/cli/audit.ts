import { defineCommand } from "citty";
import { auditScenarioNames, runAudit } from "../audit/audit.js";
import { failureClasses } from "../audit/classes.js";
import { type Credentials, mergeCredentials, parseUsers } from "../audit/credentials.js";
import { auditHtml } from "../audit/report/html.js";
import { auditJson } from "../audit/report/json.js";
import { auditJunit } from "../audit/report/junit.js";
import { formatAuditText } from "../audit/report/text.js";
import { clientTimeoutRange, holdTtlRange, parseDurationFlag } from "../config/duration.js";
import { jsonText, writeReportFile } from "../report/write.js";

const env = (name: string) => {
  const value = process.env[name];
  return value === undefined || value === "" ? undefined : value;
};

function credentialsFrom(flags: { clientId?: string; clientSecret?: string; users?: string }): Credentials {
  const parse = (spec: string | undefined, source: string) => {
    if (spec === undefined) return undefined;
    const users = parseUsers(spec);
    if (!users.ok) throw new Error(`${source}: ${users.error}`);
    return users.value;
  };
  const fromFlags = parse(flags.users, "--users");
  const fromEnv = parse(env("STOCKPROOF_AUDIT_USERS"), "STOCKPROOF_AUDIT_USERS");
  const clientId = env("STOCKPROOF_AUDIT_CLIENT_ID");
  const clientSecret = env("STOCKPROOF_AUDIT_CLIENT_SECRET");
  return mergeCredentials(
    {
      ...(flags.clientId === undefined ? {} : { clientId: flags.clientId }),
      ...(flags.clientSecret === undefined ? {} : { clientSecret: flags.clientSecret }),
      ...(fromFlags === undefined ? {} : { users: fromFlags }),
    },
    {
      ...(clientId === undefined ? {} : { clientId }),
      ...(clientSecret === undefined ? {} : { clientSecret }),
      ...(fromEnv === undefined ? {} : { users: fromEnv }),
    },
  );
}

function positive(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number (got "${value}")`);
  return n;
}

export const auditCommand = defineCommand({
  meta: {
    name: "audit",
    description:
      "Run every failure-class scenario against a server and give one verdict per class (oversell, lost update, double restore, paid-and-cancelled, 5xx under contention, timeouts, wrong rejections). Exit 0 only when every class passes.",
  },
  args: {
    target: {
      type: "string",
      required: true,
      description: "Base URL of the server under test, e.g. http://127.0.0.1:8080",
    },
    scenarios: {
      type: "string",
      description: `Comma-separated scenarios (built-in names or files) [default ${auditScenarioNames.join(",")}]`,
    },
    setup: {
      type: "string",
      description:
        "Shell command run before each scenario phase with its given stock as JSON on stdin (the target's own reset) [STOCKPROOF_AUDIT_SETUP]",
    },
    snapshot: {
      type: "string",
      description:
        'Shell command printing available stock per SKU as JSON ({"311191": 50}) after each phase [STOCKPROOF_AUDIT_SNAPSHOT]',
    },
    probe: {
      type: "boolean",
      default: true,
      description: "Measure final stock through the public API when there is no snapshot (--no-probe: do not)",
    },
    "admin-key": {
      type: "string",
      description:
        "X-Admin-Key of the target's test-control API, used when it answers [STOCKPROOF_ADMIN_KEY, default stockproof-admin]",
    },
    admin: { type: "boolean", default: true, description: "Try the test-control API (--no-admin: never)" },
    "client-id": {
      type: "string",
      description: "OAuth client id [STOCKPROOF_AUDIT_CLIENT_ID, default: the scenario's]",
    },
    "client-secret": {
      type: "string",
      description: "OAuth client secret [STOCKPROOF_AUDIT_CLIENT_SECRET, default: the scenario's]",
    },
    users: {
      type: "string",
      description:
        "Users as [alias=]username:password, comma-separated; aliases buyer and other [STOCKPROOF_AUDIT_USERS, default: the scenario's]",
    },
    scale: { type: "string", description: "Multiply every scenario's rounds and stock, e.g. 0.2 or 2 [default 1]" },
    speed: { type: "string", description: "Compress rate traffic (seed-3-2's 10 minutes) by this factor [default 60]" },
    timeout: {
      type: "string",
      description: "Per-request timeout, e.g. 10s, from 1ms to 24d [default: the scenario's]",
    },
    "hold-ttl": {
      type: "string",
      description:
        "The target releases unpaid holds this long after taking them, e.g. 3s (100ms to 30d); judges hold expiry and adds the expiry scenario",
    },
    "expiry-grace": {
      type: "string",
      description:
        "How much later than --hold-ttl the target may release a hold (its sweep interval) [default min(ttl, 1s) + 1s]",
    },
    "settle-timeout": {
      type: "string",
      description: "Read --snapshot until two reads agree, for at most this long (a replica that lags) [default 5s]",
    },
    strict: { type: "boolean", description: "Fail on status codes that differ from the reference contract" },
    json: { type: "string", description: "Write the JSON report to this file" },
    junit: { type: "string", description: "Write a JUnit XML report to this file" },
    html: { type: "string", description: "Write a self-contained HTML report to this file" },
    progress: { type: "boolean", default: true, description: "Print a line per scenario phase (--no-progress: quiet)" },
  },
  async run({ args }) {
    let options: Parameters<typeof runAudit>[0];
    try {
      new URL(args.target);
      const setup = args.setup ?? env("STOCKPROOF_AUDIT_SETUP");
      const snapshot = args.snapshot ?? env("STOCKPROOF_AUDIT_SNAPSHOT");
      options = {
        target: args.target,
        ...(args.scenarios === undefined ? {} : { scenarios: args.scenarios.split(",").map((s) => s.trim()) }),
        adminKey:
          args.admin === false ? null : (args["admin-key"] ?? env("STOCKPROOF_ADMIN_KEY") ?? "stockproof-admin"),
        setup: setup ?? null,
        snapshot: snapshot ?? null,
        probe: args.probe !== false,
        scale: positive(args.scale, "--scale", 1),
        speed: positive(args.speed, "--speed", 60),
        ...(args.timeout === undefined
          ? {}
          : { requestTimeoutMs: parseDurationFlag("--timeout", args.timeout, clientTimeoutRange) }),
        credentials: credentialsFrom({
          ...(args["client-id"] === undefined ? {} : { clientId: args["client-id"] }),
          ...(args["client-secret"] === undefined ? {} : { clientSecret: args["client-secret"] }),
          ...(args.users === undefined ? {} : { users: args.users }),
        }),
        ...(args["hold-ttl"] === undefined
          ? {}
          : { holdTtlMs: parseDurationFlag("--hold-ttl", args["hold-ttl"], holdTtlRange) }),
        ...(args["expiry-grace"] === undefined
          ? {}
          : { expiryGraceMs: parseDurationFlag("--expiry-grace", args["expiry-grace"], clientTimeoutRange) }),
        ...(args["settle-timeout"] === undefined
          ? {}
          : { settleTimeoutMs: parseDurationFlag("--settle-timeout", args["settle-timeout"], clientTimeoutRange) }),
        strict: args.strict === true,
        ...(args.progress === false ? {} : { onProgress: (line: string) => console.error(line) }),
      };
    } catch (error) {
      const message = (error as Error).message;
      console.error(
        message.startsWith("Invalid URL")
          ? `--target must be a base URL such as http://127.0.0.1:8080 (got "${args.target}")`
          : message,
      );
      process.exit(2);
    }
    const report = await runAudit(options);
    if (!report.ok) {
      console.error(report.error);
      process.exit(2);
    }
    const primaries = new Map(failureClasses.map((c) => [c.id as string, c.primary]));
    console.log(formatAuditText(report.value, primaries, process.stdout.columns ?? 120));
    const written: [string | undefined, () => string][] = [
      [args.json, () => jsonText(auditJson(report.value))],
      [args.junit, () => auditJunit(report.value)],
      [args.html, () => auditHtml(report.value, primaries)],
    ];
    for (const [path, render] of written) {
      if (path === undefined) continue;
      writeReportFile(path, render());
      console.log(`wrote ${path}`);
    }
    process.exitCode = report.value.verdict === "pass" ? 0 : 1;
  },
});
