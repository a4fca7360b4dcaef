/**
 * @module
 * Writes the report files a run was asked for.
 */

import { writeJsonWithList, writeReportFile } from "../../../base/report-kit/write.js";
import type { Verdict } from "../../scenario/check/index.js";
import type { RunResult } from "../../scenario/runner.js";
import { htmlReport } from "./html.js";
import { jsonReportHead, timelineOf } from "./json.js";
import { junitReport } from "./junit.js";

export interface ReportFiles {
  readonly json?: string | undefined;
  readonly junit?: string | undefined;
  readonly html?: string | undefined;
}

/** Writes the requested report files; returns the paths written. */
export function writeReports(files: ReportFiles, result: RunResult, verdict: Verdict): string[] {
  const reports: [string | undefined, () => string][] = [
    [files.junit, () => junitReport(result, verdict)],
    [files.html, () => htmlReport(result, verdict)],
  ];
  const written: string[] = [];
  if (files.json) {
    writeJsonWithList(files.json, jsonReportHead(result, verdict), "timeline", timelineOf(result));
    written.push(files.json);
  }
  for (const [path, render] of reports) {
    if (!path) continue;
    writeReportFile(path, render());
    written.push(path);
  }
  return written;
}
