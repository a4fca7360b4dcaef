/**
 * @module
 * Tells a history file's format from its start and reads it into one or more histories.
 */

import { closeSync, openSync, readSync } from "node:fs";
import { err, ok, type Result } from "../../backend/domain/types.js";
import type { Scenario } from "../scenario/types.js";
import type { History } from "./format.js";
import { readJtl } from "./import-jtl.js";
import { readK6 } from "./import-k6.js";
import { readJsonReport } from "./import-report.js";
import { readHistory } from "./read.js";

export type HistoryFormat = "stockproof" | "report" | "k6" | "jtl";
export const historyFormats: readonly HistoryFormat[] = ["stockproof", "report", "k6", "jtl"];

/** Tells the format from the file's start: a stockproof header, a run --json report, a k6 JSON record, else a JTL's CSV header. */
export function sniffFormat(file: string): HistoryFormat {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(512);
    const start = buffer.subarray(0, readSync(fd, buffer, 0, 512, 0)).toString("utf8");
    const head = start.split("\n")[0] ?? "";
    if (head.includes('"format":"stockproof-history"')) return "stockproof";
    if (/^\s*\{\s*"verdict"/.test(start)) return "report";
    if (/^\s*\{/.test(head)) return "k6";
    return "jtl";
  } finally {
    closeSync(fd);
  }
}

/** Reads each file as the given format (or as sniffed), into one or more histories (one per writer). */
export async function loadHistories(
  files: readonly string[],
  scenario: Scenario,
  format: HistoryFormat | "auto" = "auto",
): Promise<Result<History[], string>> {
  const histories: History[] = [];
  for (const file of files) {
    let kind: HistoryFormat;
    try {
      kind = format === "auto" ? sniffFormat(file) : format;
    } catch (error) {
      return err(`Cannot read the history ${file}: ${(error as Error).message}`);
    }
    const read =
      kind === "stockproof"
        ? await readHistory(file).then((r) => (r.ok ? ok([r.value]) : r))
        : kind === "report"
          ? await readJsonReport(file, scenario).then((r) => (r.ok ? ok([r.value]) : r))
          : kind === "k6"
            ? await readK6(file, scenario.name)
            : await readJtl(file, scenario.name);
    if (!read.ok) return read;
    histories.push(...read.value);
  }
  return ok(histories);
}
