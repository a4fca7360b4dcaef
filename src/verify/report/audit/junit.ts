/**
 * @module
 * The audit as JUnit XML: a case per failure class (unjudged counts as failed), divergences as one more.
 */

import { type JUnitCase, junitXml } from "../../../base/report-kit/junit.js";
import type { AuditReport } from "../../audit/audit.js";
import { type ClassVerdict, describeRef } from "../../audit/classes.js";
import { interruptedLine } from "./text.js";

/** The smallest fault the class could have seen, and the figures its verdict rests on. */
const powerOf = (c: ClassVerdict): Record<string, string> => ({
  "smallest-fault": c.smallestFault,
  ...Object.fromEntries(c.power.map((f) => [f.key, f.value])),
});

function testcase(c: ClassVerdict): JUnitCase {
  const time = c.timeMs / 1000;
  const properties = powerOf(c);
  if (c.verdict === "pass") return { name: c.title, time, properties };
  const text = [...c.evidence, ...c.requests.map((r) => `first: ${describeRef(r)}`)].join("\n");
  return { name: c.title, time, properties, failure: { message: `${c.title}: ${c.verdict}`, text } };
}

/** An interrupted audit fails one case of its own, so CI shows why the classes are judged on less. */
function interrupted(report: AuditReport): JUnitCase[] {
  const line = interruptedLine(report);
  if (line === null) return [];
  return [
    {
      name: "audit ran to the end",
      failure: { message: line, type: "not-judged", text: `${line}\nfix: run the audit again and let it finish` },
    },
  ];
}

/** JUnit XML for CI: one test case per failure class (unjudged counts as a failure), divergences as a case of their own. */
export function auditJunit(report: AuditReport): string {
  const divergenceText = report.divergences
    .map(
      (d) =>
        `${d.scenario} · ${d.caseName} (${d.kind}): ${d.observed} ×${d.count}, the reference answers ${d.reference}`,
    )
    .join("\n");
  const divergences: JUnitCase =
    report.strict && report.divergences.length > 0
      ? {
          name: "Status codes as the reference contract (--strict)",
          failure: { message: `${report.divergences.length} divergences`, text: divergenceText },
        }
      : { name: "Status codes as the reference contract (warnings)", output: divergenceText };
  return junitXml({
    name: "stockproof audit",
    suite: `audit ${report.target}`,
    classname: "stockproof.audit",
    timestamp: report.startedAt,
    time: report.durationMs / 1000,
    cases: [...interrupted(report), ...report.classes.map(testcase), divergences],
  });
}
