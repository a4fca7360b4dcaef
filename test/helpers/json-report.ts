import { readFileSync } from "node:fs";
import type { JsonReport } from "../../src/verify/report/run/json.js";

export type { JsonReport };

/** A `--json` report file as written by run, check or audit's scenario runs. */
export const readJsonReport = (path: string): JsonReport => JSON.parse(readFileSync(path, "utf8")) as JsonReport;

/** Check id → status, e.g. { oversell: "pass", counts: "fail" }. */
export const statuses = (report: JsonReport): Record<string, string> =>
  Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
