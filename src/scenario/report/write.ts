import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Verdict } from "../check/index.js";
import type { RunResult } from "../runner.js";
import { htmlReport } from "./html.js";
import { jsonReport } from "./json.js";
import { junitReport } from "./junit.js";

export interface ReportFiles {
  readonly json?: string | undefined;
  readonly junit?: string | undefined;
  readonly html?: string | undefined;
}

function write(path: string, text: string) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Writes the requested report files; returns the paths written. */
export function writeReports(files: ReportFiles, result: RunResult, verdict: Verdict): string[] {
  const written: string[] = [];
  if (files.json) {
    write(files.json, `${JSON.stringify(jsonReport(result, verdict), null, 2)}\n`);
    written.push(files.json);
  }
  if (files.junit) {
    write(files.junit, junitReport(result, verdict));
    written.push(files.junit);
  }
  if (files.html) {
    write(files.html, htmlReport(result, verdict));
    written.push(files.html);
  }
  return written;
}
