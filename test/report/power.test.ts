import { describe, expect, it } from "vitest";
import type { AuditReport } from "../../src/verify/audit/audit.js";
import type { ClassVerdict } from "../../src/verify/audit/classes.js";
import { auditHtml } from "../../src/verify/report/audit/html.js";
import { auditJunit } from "../../src/verify/report/audit/junit.js";
import { formatAuditText } from "../../src/verify/report/audit/text.js";
import { htmlReport } from "../../src/verify/report/run/html.js";
import { jsonReport } from "../../src/verify/report/run/json.js";
import { junitReport } from "../../src/verify/report/run/junit.js";
import { terminalReport } from "../../src/verify/report/run/terminal.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { runAsModelled } from "../helpers/modelled-run.js";

// The power of a verdict (the smallest fault it could have seen, and the figures behind it) is in
// every output, not only in the text of a failure: a passing case carries it too.

const oversell: ClassVerdict = {
  id: "oversell",
  title: "Oversell",
  verdict: "pass",
  judgedIn: ["seed-3-1"],
  failedIn: [],
  evidence: ["100 accepted reservations never held more units than existed"],
  requests: [],
  timeMs: 700,
  smallestFault: "an oversell of 1 unit on SKU 311191",
  power: [
    { key: "contention-peak", name: "contention peak", value: "SKU 311191: 37 reservations / 37 writes in flight" },
    { key: "send-spread", name: "send spread", value: "first-step sends over 12 ms" },
  ],
};

const audit: AuditReport = {
  target: "http://127.0.0.1:1",
  startedAt: "2025-01-01T00:00:00.000Z",
  durationMs: 1500,
  verdict: "pass",
  strict: false,
  stockSetup: "test-control API (PUT /__admin/stock)",
  fallback: null,
  stockObservation: "test-control snapshot",
  scale: 1,
  speed: 60,
  classes: [oversell],
  divergences: [],
  scenarios: [],
};

describe("the audit's reports carry each class's power", () => {
  it("in JUnit, as properties of the class's test case, passing or not", () => {
    expect(auditJunit(audit)).toContain(
      `<testcase classname="stockproof.audit" name="Oversell" time="0.700">
      <properties><property name="smallest-fault" value="an oversell of 1 unit on SKU 311191"/><property name="contention-peak" value="SKU 311191: 37 reservations / 37 writes in flight"/><property name="send-spread" value="first-step sends over 12 ms"/></properties>
    </testcase>`,
    );
  });

  it("in HTML and in the terminal, beside the evidence", () => {
    const html = auditHtml(audit, new Map([["oversell", "seed-3-1"]]));
    expect(html).toContain("<th>smallest fault it could have seen · power</th>");
    expect(html).toContain("<div>an oversell of 1 unit on SKU 311191</div>");
    expect(html).toContain("<small>contention peak:</small> SKU 311191: 37 reservations / 37 writes in flight");
    const text = formatAuditText(audit, new Map([["oversell", "seed-3-1"]]), 400);
    expect(text).toContain("smallest fault: an oversell of 1 unit on SKU 311191");
    expect(text).toContain("Power:\n  contention peak: SKU 311191: 37 reservations / 37 writes in flight\n");
  });
});

describe("a run's reports carry its power", () => {
  const result = runAsModelled();
  const verdict = checkRun(result);
  const none = "none: the final stock was not read";

  it("states the smallest fault of each class from what the run computed", () => {
    expect(verdict.power.smallest.find((f) => f.fault === "lost-update")?.text).toBe(none);
  });

  it("in JUnit: the figures as suite properties, each check's smallest fault as its case's", () => {
    const junit = junitReport(result, verdict);
    expect(junit).toContain(
      '<property name="power.contention-peak" value="SKU 7: 1 reservations / 1 writes in flight"/>',
    );
    expect(junit).toContain('<property name="power.unobservable-units" value="none"/>');
    expect(junit).toContain(`<property name="power.smallest-fault.lost-update" value="${none}"/>`);
    expect(junit).toMatch(
      /<testcase classname="stockproof.reserve-and-pay" name="oversell: No oversell">\n {6}<properties><property name="smallest-fault.oversell" value="[^"]+"\/><\/properties>/,
    );
  });

  it("in HTML, the terminal and JSON", () => {
    const html = htmlReport(result, verdict);
    expect(html).toContain("<h2>Power</h2>");
    expect(html).toMatch(
      /<td>smallest fault: Lost update \/ conservation<\/td><td>none: the final stock was not read<\/td>/,
    );
    expect(terminalReport(result, verdict)).toContain(`  smallest fault: Lost update / conservation: ${none}`);
    expect(jsonReport(result, verdict).power.smallestFaults).toContainEqual({
      fault: "lost-update",
      size: null,
      text: none,
    });
  });
});
