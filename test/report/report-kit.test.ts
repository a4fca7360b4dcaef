import { describe, expect, it } from "vitest";
import { escapeHtml, escapeXml } from "../../src/base/report-kit/escape.js";
import type { AuditReport } from "../../src/verify/audit/audit.js";
import type { ClassVerdict } from "../../src/verify/audit/classes.js";
import { auditHtml } from "../../src/verify/report/audit/html.js";
import { auditJunit } from "../../src/verify/report/audit/junit.js";
import { htmlReport } from "../../src/verify/report/run/html.js";
import { jsonReport } from "../../src/verify/report/run/json.js";
import { junitReport } from "../../src/verify/report/run/junit.js";
import { terminalReport } from "../../src/verify/report/run/terminal.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import type { Scenario } from "../../src/verify/scenario/types.js";
import { runAsModelled } from "../helpers/modelled-run.js";

// What XML 1.0 cannot hold even as a character reference.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters looked for
const forbidden = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/** A 5xx body as a misbehaving server sends it: ANSI colours, a NUL, markup. */
const serverText = 'pool exhausted \u001b[31m<timeout>\u001b[0m\u0000 "db" & more\u0007';

function auditReport(classes: readonly ClassVerdict[], scenarios: AuditReport["scenarios"] = []): AuditReport {
  return {
    target: "http://127.0.0.1:1",
    startedAt: "2025-01-01T00:00:00.000Z",
    durationMs: 1500,
    verdict: classes.every((c) => c.verdict === "pass") ? "pass" : "fail",
    strict: false,
    stockSetup: "test-control API (PUT /__admin/stock)",
    fallback: null,
    stockObservation: "test-control snapshot",
    scale: 1,
    speed: 60,
    classes,
    divergences: [],
    scenarios,
  };
}

const failing: ClassVerdict = {
  id: "errors-under-contention",
  title: "Errors under contention (5xx)",
  verdict: "fail",
  judgedIn: ["contention"],
  failedIn: ["contention"],
  evidence: [`contention: 3 of 200 answered 5xx: ${serverText}`],
  requests: [],
  timeMs: 700,
  smallestFault: "one 5xx answer among 200 requests",
  power: [
    { key: "contention-peak", name: "contention peak", value: "SKU 900001: 40 reservations / 40 writes in flight" },
  ],
};

describe("the report kit", () => {
  it("escapes HTML, and XML without the characters XML cannot hold, keeping tab, newlines and astral characters", () => {
    expect(escapeHtml('<a href="x">&</a>')).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;");
    expect(escapeXml(`a\tb\nc\r${serverText}\ud800 😀`)).toBe(
      "a\tb\nc\rpool exhausted [31m&lt;timeout&gt;[0m &quot;db&quot; &amp; more 😀",
    );
  });

  it("keeps the audit's JUnit XML well-formed when a server's answer carries control characters", () => {
    const xml = auditJunit(auditReport([failing]));
    expect(xml).not.toMatch(forbidden);
    expect(xml).toContain("pool exhausted [31m&lt;timeout&gt;[0m &quot;db&quot; &amp; more");
    expect(xml).toMatch(/<testsuites name="stockproof audit" tests="2" failures="1"/);
  });

  it("renders a check that was not judged as not judged, with its reason, in every report", () => {
    const result = runAsModelled();
    const verdict = checkRun(result);
    const reason = "not observed (no snapshot)";
    expect(verdict.checks.find((c) => c.id === "conservation")).toMatchObject({ status: "skip", summary: reason });
    expect(terminalReport(result, verdict)).toContain(`NOT JUDGED  Conservation per SKU: ${reason}`);
    expect(jsonReport(result, verdict).checks).toContainEqual(
      expect.objectContaining({ id: "conservation", status: "skip", summary: reason }),
    );
    const junit = junitReport(result, verdict);
    expect(junit).toMatch(/<testsuites name="stockproof" tests="12" failures="0" skipped="4"/);
    // The case carries its power (the smallest fault it could have seen) before the reason it was skipped.
    expect(junit).toContain(
      `<testcase classname="stockproof.reserve-and-pay" name="conservation: Conservation per SKU">\n      <properties><property name="smallest-fault.lost-update" value="none: the final stock was not read"/></properties>\n      <skipped message="${reason}"/>`,
    );
    expect(htmlReport(result, verdict)).toContain(
      `<tr><td>Conservation per SKU</td><td><span class="verdict skip">skip</span></td><td>${reason}</td></tr>`,
    );
  });

  it("shows, per audited phase, the run report's throughput and latency views", () => {
    const result = runAsModelled();
    const verdict = checkRun(result);
    const scenario: Scenario = result.scenario;
    const html = auditHtml(
      auditReport(
        [{ ...failing, verdict: "pass", failedIn: [], evidence: [] }],
        [
          {
            scenario,
            phases: [{ name: "main", result, verdict, stockObservation: "snapshot", notes: [] }],
            error: null,
            durationMs: 20,
            requests: 8,
          },
        ],
      ),
      new Map(),
    );
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toMatch(/8 requests in 0\.0 s · \d+ req\/s · p50 [\d.]+ ms · p90 [\d.]+ ms · p99/);
    for (const chart of ["Latency over time", "Latency histogram", "Outcomes per round"]) {
      expect(html).toContain(`aria-label="${chart}"`);
    }
    expect(html).toContain('<span class="badge pass">PASS</span>');
  });
});
