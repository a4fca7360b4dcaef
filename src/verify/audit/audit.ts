/**
 * @module
 * Runs every failure-class scenario against a target and gives one verdict per class.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import { defaultAdminKey } from "../../base/config/defaults.js";
import { CannotJudge } from "../../base/config/errors.js";
import { createStockObserver, observationLabel, type StockObservation } from "../history/stock-observer.js";
import { preflight } from "../probe/preflight.js";
import type { Divergence } from "../scenario/check/types.js";
import { formatLoadError, loadScenario } from "../scenario/load.js";
import { withHoldTtl } from "../scenario/runner.js";
import type { Scenario } from "../scenario/types.js";
import { allDivergences, type ClassVerdict, classVerdicts } from "./classes.js";
import { type Credentials, withCredentials } from "./credentials.js";
import { auditScenario, type PhaseRecorder, type ScenarioAudit, type StockSetup } from "./scenario-audit.js";
import { scaleScenario } from "./sizes.js";

/** The failure-class scenarios, in the order they run. */
export const auditScenarioNames = ["contention", "crossed-carts", "races", "seed-3-1", "seed-3-2"] as const;

export interface AuditOptions {
  readonly target: string;
  /** Built-in names or files; default every failure-class scenario. */
  readonly scenarios?: readonly string[];
  /** The test-control key to try; null: never use the test-control API. */
  readonly adminKey?: string | null;
  /** Go on with declared stock when the test-control API refuses the key or is missing (default: stop, exit 3). */
  readonly adminFallback?: boolean;
  /** Shell command that sets the stock before each phase (the phase's given on stdin). */
  readonly setup?: string | null;
  /** Shell command that prints available stock per SKU after each phase. */
  readonly snapshot?: string | null;
  /** Measure final stock through the public API when nothing else can (default true). */
  readonly probe?: boolean;
  /** Multiplies rounds and stock of every scenario (default 1). */
  readonly scale?: number;
  /** Compresses rate traffic (default 60: seed-3-2's 10 minutes in 10 s). */
  readonly speed?: number;
  readonly requestTimeoutMs?: number;
  readonly credentials?: Credentials;
  /** The target releases unpaid holds this long after taking them; adds the expiry scenario. */
  readonly holdTtlMs?: number | "never";
  /** How much later than the TTL it may release them [default min(ttl, 1 s) + 1 s]. */
  readonly expiryGraceMs?: number;
  /** How long a lagging --snapshot may take to give the same answer twice [default 5 s]. */
  readonly settleTimeoutMs?: number;
  /** How long the --snapshot's store may lag the primary (a replica) [default 1 s]. */
  readonly readLagMs?: number;
  /** Divergences from the reference contract fail the audit. */
  readonly strict?: boolean;
  readonly onProgress?: (line: string) => void;
  /** Wraps each phase's run, e.g. to stream its history to a file (see PhaseRecorder). */
  readonly record?: PhaseRecorder;
  /** The operator's stop: the phase under way stops sending, the scenarios after it do not run. */
  readonly interrupt?: AbortSignal;
}

/** The operator stopped the audit: by which signal, and the scenarios that did not run (or not to the end). */
export interface AuditInterrupted {
  readonly signal: string;
  readonly cut: readonly string[];
}

export interface AuditReport {
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** fail: some class failed; not-judged: none failed, but some could not be judged, or the audit was interrupted (exit 3, never 0 or 1). */
  readonly verdict: "pass" | "fail" | "not-judged";
  /** Set when the operator stopped the audit (SIGINT/SIGTERM): the verdict covers what was sent. */
  readonly interrupted?: AuditInterrupted | null;
  readonly strict: boolean;
  /** How stock was set before each phase, and how it was observed after. */
  readonly stockSetup: string;
  /** Set when the test-control API refused the key (or was missing) and --admin-fallback went on without it. */
  readonly fallback: string | null;
  readonly stockObservation: string;
  readonly scale: number;
  readonly speed: number;
  readonly classes: readonly ClassVerdict[];
  readonly divergences: readonly (Divergence & { readonly scenario: string })[];
  readonly scenarios: readonly ScenarioAudit[];
}

function describeSetup(setup: StockSetup): string {
  switch (setup.kind) {
    case "admin":
      return "test-control API (PUT /__admin/stock)";
    case "command":
      return `--setup \`${setup.command}\` before each phase`;
    case "declared":
      return "declared: the stock was set by hand as each scenario's given says";
  }
}

function loadAll(names: readonly string[], options: AuditOptions): Result<Scenario[], string> {
  const scenarios: Scenario[] = [];
  for (const name of names) {
    const loaded = loadScenario(name);
    if (!loaded.ok) return err(formatLoadError(loaded.error));
    const scaled = withCredentials(scaleScenario(loaded.value, options.scale ?? 1), options.credentials ?? {});
    scenarios.push(
      withHoldTtl(scaled, {
        ...(options.holdTtlMs === undefined ? {} : { holdTtlMs: options.holdTtlMs }),
        ...(options.expiryGraceMs === undefined ? {} : { expiryGraceMs: options.expiryGraceMs }),
      }),
    );
  }
  return ok(scenarios);
}

/** What every audit settles before its first scenario: the scenarios, the key and how stock is set. */
export interface PreparedAudit {
  readonly scenarios: readonly Scenario[];
  /** The test-control key when its API answered; null otherwise. */
  readonly adminKey: string | null;
  readonly fallback: string | null;
  readonly setupFor: (scenario: Scenario) => StockSetup;
}

/** The scenarios an audit runs, loaded, scaled and with the credentials and TTL given. */
export function auditScenarios(options: AuditOptions): Result<Scenario[], string> {
  // The expiry scenario declares a TTL of its own: it runs only when the target's TTL is declared.
  const names = options.scenarios ?? [
    ...auditScenarioNames,
    ...(options.holdTtlMs === undefined || options.holdTtlMs === "never" ? [] : ["expiry"]),
  ];
  return loadAll(names, options);
}

/**
 * Before any phase: the target answers, its users log in, and the key is taken — unless the
 * operator set up stock otherwise (--setup) or asked to fall back to declared stock. Throws
 * CannotJudge (exit 3) when the key is refused and nothing else can set the stock.
 */
export async function prepareAudit(options: AuditOptions, scenarios: readonly Scenario[]): Promise<PreparedAudit> {
  const key = options.adminKey === undefined ? defaultAdminKey : options.adminKey;
  const setupCommand = options.setup !== undefined && options.setup !== null;
  const first = scenarios[0];
  const users = new Map(scenarios.flatMap((s) => s.users).map((u) => [u.username, u]));
  const found = await preflight({
    target: options.target,
    ...(first === undefined ? {} : { client: first.client }),
    users: [...users.values()],
    adminKey: key,
    adminRequired: false,
    ...(options.requestTimeoutMs === undefined ? {} : { timeoutMs: Math.min(options.requestTimeoutMs, 10_000) }),
  });
  // A refused key is a misconfiguration: stop (exit 3) unless the operator asked to go on without
  // it. A target without the API at all is the declared-stock case, said loudly in the header.
  if (found.admin === "refused" && !setupCommand && options.adminFallback !== true)
    throw new CannotJudge(
      "the admin key was refused (401) by GET /__admin/snapshot",
      "pass the target's key with --admin-key (or STOCKPROOF_ADMIN_KEY); --no-admin or --admin-fallback to go on with declared stock",
    );
  const adminKey = found.admin === "ok" ? key : null;
  const fallback =
    key !== null && !setupCommand && found.admin !== "ok"
      ? `FALLBACK: the test-control API ${found.admin === "refused" ? "refused the admin key (401; --admin-fallback)" : "is missing (GET /__admin/snapshot did not answer 200)"}: stock is taken as declared, as each scenario's given says, and observed by ${options.snapshot ? "--snapshot" : options.probe === false ? "nothing" : "the probe"}`
      : null;
  // --setup wins; else the test-control API when it answers, unless the scenario declares its stock.
  const setupFor = (scenario: Scenario): StockSetup =>
    options.setup !== undefined && options.setup !== null
      ? { kind: "command", command: options.setup }
      : adminKey !== null && scenario.stockSetup === "admin"
        ? { kind: "admin" }
        : { kind: "declared" };
  return { scenarios, adminKey, fallback, setupFor };
}

/**
 * Runs every failure-class scenario against the target and gives one verdict per class. Works
 * with the reference's test-control API, with a team's own setup and snapshot commands, or with
 * nothing but the public API (declared stock, final stock by probe).
 */
export async function runAudit(options: AuditOptions): Promise<Result<AuditReport, string>> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const loaded = auditScenarios(options);
  if (!loaded.ok) return loaded;
  const { adminKey, fallback, setupFor } = await prepareAudit(options, loaded.value);
  const setupCommand = options.setup !== undefined && options.setup !== null;
  const observer = createStockObserver({
    target: options.target,
    snapshotCommand: options.snapshot ?? null,
    probe: options.probe ?? true,
    ...(options.settleTimeoutMs === undefined ? {} : { settleTimeoutMs: options.settleTimeoutMs }),
    ...(options.readLagMs === undefined ? {} : { readLagMs: options.readLagMs }),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
  });
  const speed = options.speed ?? 60;
  const audits: ScenarioAudit[] = [];
  const cut: string[] = [];
  for (const scenario of loaded.value) {
    if (options.interrupt?.aborted) {
      cut.push(scenario.name);
      continue;
    }
    const audit = await auditScenario(scenario, {
      target: options.target,
      adminKey,
      setup: setupFor(scenario),
      observer,
      speed,
      ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.record === undefined ? {} : { record: options.record }),
      ...(options.interrupt === undefined ? {} : { interrupt: options.interrupt }),
    });
    audits.push(audit);
    // A stop during this scenario cut it short (its phase under way, the phases after it).
    if (options.interrupt?.aborted) cut.push(scenario.name);
    // A set-up that fails once fails for every scenario after it: stop and say so (exit 3).
    if (audit.error !== null)
      throw new CannotJudge(
        audit.error,
        setupCommand
          ? "fix the --setup command (run it by hand with the JSON on stdin)"
          : "fix the set-up named above and run again",
      );
    options.onProgress?.(
      `${scenario.name}: ${audit.requests} requests in ${(audit.durationMs / 1000).toFixed(1)} s${audit.error === null ? "" : ` — ${audit.error}`}`,
    );
  }
  const classes = classVerdicts(audits);
  const divergences = allDivergences(audits);
  const strict = options.strict ?? false;
  const interrupted =
    options.interrupt?.aborted === true ? { signal: String(options.interrupt.reason ?? "interrupted"), cut } : null;
  // What was sent before a stop is judged: a class it failed fails; else the audit is not a pass.
  const failed = classes.some((c) => c.verdict === "fail") || (strict && divergences.length > 0);
  const unjudged = interrupted !== null || classes.some((c) => c.verdict === "unjudged");
  const used = new Set<StockObservation>(audits.flatMap((a) => a.phases.map((p) => p.stockObservation)));
  return ok({
    target: options.target,
    startedAt,
    durationMs: performance.now() - started,
    verdict: failed ? "fail" : unjudged ? "not-judged" : "pass",
    interrupted,
    strict,
    stockSetup: [...new Set(loaded.value.map((scenario) => describeSetup(setupFor(scenario))))].join("; "),
    fallback,
    stockObservation: [...used].map((u) => observationLabel[u]).join("; ") || observationLabel.none,
    scale: options.scale ?? 1,
    speed,
    classes,
    divergences,
    scenarios: audits,
  });
}
