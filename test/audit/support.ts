import { fileURLToPath } from "node:url";
import { type AuditOptions, type AuditReport, runAudit } from "../../src/verify/audit/audit.js";
import { type ClassId, type ClassVerdict, isPowerless } from "../../src/verify/audit/classes.js";
import { onPath } from "../helpers/executable.js";

const script = (name: string) => fileURLToPath(new URL(`./servers/${name}`, import.meta.url));

/** Whether this machine has curl on its PATH. */
export const hasCurl = onPath("curl");

/**
 * The shop's own reset and stock scripts in Node, as a team would commit them: dev-reset.mjs turns the
 * given stock on stdin into the shop's own PUT /dev/stock body; dev-snapshot.mjs prints its GET.
 */
export const nodeStockScripts = {
  reset: (url: string) => `node ${script("dev-reset.mjs")} ${url}`,
  snapshot: (url: string) => `node ${script("dev-snapshot.mjs")} ${url}`,
};

/**
 * The shop's reset and stock commands as most tests pass them to --setup and --snapshot: curl lines
 * against its PUT/GET /dev/stock (PUT also takes the given stock as stockproof sends it) where the
 * machine has curl, else nodeStockScripts. A Node script costs about 150 ms of CPU a call, curl a few
 * ms, and the audits make hundreds of calls. -q: no ~/.curlrc (a `-w` or `retry` line there would
 * change the output or hide a failed PUT); --noproxy: curl, unlike Node's fetch, would send loopback
 * requests through an http_proxy set on a developer's machine.
 */
const curl = "curl -q -sSf --noproxy 127.0.0.1,localhost";
export const devReset = (url: string) =>
  hasCurl
    ? `${curl} -o /dev/null -X PUT -H content-type:application/json --data-binary @- ${url}/dev/stock`
    : nodeStockScripts.reset(url);
export const devSnapshot = (url: string) => (hasCurl ? `${curl} ${url}/dev/stock` : nodeStockScripts.snapshot(url));
export const sqliteSetStock = (dbPath: string) => `node ${script("sqlite-set-stock.mjs")} ${dbPath}`;

/**
 * Test sizes: a fifth of the default rounds and stock (the proportions that make each class show
 * are kept), and seed-3-2's 10 minutes compressed to 2 s. The shops' own stock endpoints read their
 * store directly: --read-lag 0 (test/audit/replica-lag.test.ts reads a replica with a lag stated).
 */
export const testSizes = { scale: 0.2, speed: 300, readLagMs: 0 } as const;

export async function audit(options: AuditOptions): Promise<AuditReport> {
  const report = await runAudit({ ...testSizes, ...options });
  if (!report.ok) throw new Error(report.error);
  return report.value;
}

export function verdictOf(report: AuditReport, id: ClassId): ClassVerdict {
  const found = report.classes.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no class ${id}`);
  return found;
}

/** class id → verdict, for one readable assertion per server. */
export const verdicts = (report: AuditReport) => Object.fromEntries(report.classes.map((c) => [c.id, c.verdict]));

/**
 * Classes that failed, or were not judged for another reason than that the scenarios run could not
 * have shown their fault (a class a restricted `scenarios` list leaves without power is never a PASS).
 */
export const notPassed = (report: AuditReport) =>
  report.classes.filter((c) => c.verdict === "fail" || (c.verdict === "unjudged" && !isPowerless(c)));

/** The only reasons a starved machine may give a correct server's hold expiry: power it lacked, in figures. */
const lackedPower =
  /^(could not have seen (paid after release: (only \d+ pays? (was|were) in flight|no pay was sent for \d+ ms during)|released twice: only \d+ cancels? (was|were) in flight)|power: \d+ unpaid holds read after their window closed)/;

/**
 * NOT JUDGED only for want of power the report states in figures (too few pays or cancels across a
 * release, too wide a gap at it): what a correct server may get when the machine running the audit is
 * starved of CPU (issue rule: never a FAIL, and a NOT JUDGED names the missing power). Anything else,
 * and every FAIL, is not this.
 */
export const lackedOnlyPower = (c: ClassVerdict): boolean =>
  c.verdict === "unjudged" && c.evidence.length > 0 && c.evidence.every((e) => lackedPower.test(e));

/** notPassed, less the classes a starved machine left without power (lackedOnlyPower). */
export const notPassedOnAnyMachine = (report: AuditReport) => notPassed(report).filter((c) => !lackedOnlyPower(c));
