import type { AuditReport } from "../audit.js";
import { describeRef } from "../classes.js";

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** JUnit XML for CI: one test case per failure class (unjudged counts as a failure), divergences as a case of their own. */
export function auditJunit(report: AuditReport): string {
  const cases = report.classes.map((c) => {
    const time = (c.timeMs / 1000).toFixed(3);
    const name = `${xml(c.title)}`;
    if (c.verdict === "pass") return `    <testcase classname="stockproof.audit" name="${name}" time="${time}"/>`;
    const body = [...c.evidence, ...c.requests.map((r) => `first: ${describeRef(r)}`)].join("\n");
    return `    <testcase classname="stockproof.audit" name="${name}" time="${time}">\n      <failure message="${xml(`${c.title}: ${c.verdict}`)}">${xml(body)}</failure>\n    </testcase>`;
  });
  const divergenceText = report.divergences
    .map(
      (d) =>
        `${d.scenario} · ${d.caseName} (${d.kind}): ${d.observed} ×${d.count}, the reference answers ${d.reference}`,
    )
    .join("\n");
  const divergenceFails = report.strict && report.divergences.length > 0;
  cases.push(
    divergenceFails
      ? `    <testcase classname="stockproof.audit" name="Status codes as the reference contract (--strict)">\n      <failure message="${report.divergences.length} divergences">${xml(divergenceText)}</failure>\n    </testcase>`
      : `    <testcase classname="stockproof.audit" name="Status codes as the reference contract (warnings)">${divergenceText === "" ? "" : `\n      <system-out>${xml(divergenceText)}</system-out>\n    `}</testcase>`,
  );
  const failures = report.classes.filter((c) => c.verdict !== "pass").length + (divergenceFails ? 1 : 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="stockproof audit" tests="${cases.length}" failures="${failures}" time="${(report.durationMs / 1000).toFixed(3)}">
  <testsuite name="audit ${xml(report.target)}" tests="${cases.length}" failures="${failures}" timestamp="${report.startedAt}">
${cases.join("\n")}
  </testsuite>
</testsuites>
`;
}
