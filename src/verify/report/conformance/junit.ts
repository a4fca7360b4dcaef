/**
 * @module
 * JUnit XML of a conformance run: a case per operation and status, failing with its violations.
 */

import { junitXml } from "../../../base/report-kit/junit.js";
import type { ConformanceReport } from "./report.js";

/** JUnit XML of a conformance run: a case per operation and status, failing with its grouped violations. */
export function conformanceJunit(report: ConformanceReport): string {
  return junitXml({
    name: "stockproof",
    suite: "stockproof.conform",
    classname: "stockproof.conform",
    timestamp: report.startedAt,
    time: report.durationMs / 1000,
    properties: { target: report.target },
    cases: report.byOperation.map((row) => {
      const name = `${row.operationId} ${row.status}`;
      const groups = report.groups.filter((g) => g.operationId === row.operationId && g.status === row.status);
      if (row.violations === 0 || groups.length === 0) return { name };
      const text = groups
        .map(
          (g) =>
            `${g.count} × ${g.labels.join("; ")}: ${g.rule}${g.consequenceOf === null ? "" : ` (consequence of ${g.consequenceOf})`}`,
        )
        .join("\n");
      return {
        name,
        failure: {
          message: `${row.violations} of ${row.exchanges} exchanges violate the spec`,
          type: "spec-violation",
          text,
        },
      };
    }),
  });
}
