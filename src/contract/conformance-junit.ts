import type { ConformanceReport } from "./conformance-report.js";

/** JUnit XML of a conformance run (filled in on the shared report kit). */
export function conformanceJunit(report: ConformanceReport): string {
  return JSON.stringify(report.byOperation);
}
