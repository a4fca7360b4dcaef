import { closeSync, openSync, readSync } from "node:fs";
import { err, ok, type Result } from "../domain/types.js";
import type { History } from "./format.js";
import { readJtl } from "./import-jtl.js";
import { readK6 } from "./import-k6.js";
import { readHistory } from "./read.js";

export type HistoryFormat = "stockproof" | "k6" | "jtl";
export const historyFormats: readonly HistoryFormat[] = ["stockproof", "k6", "jtl"];

/** Tells the format from the file's first line: a stockproof header, a k6 JSON record, else a JTL's CSV header. */
export function sniffFormat(file: string): HistoryFormat {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(512);
    const head =
      buffer
        .subarray(0, readSync(fd, buffer, 0, 512, 0))
        .toString("utf8")
        .split("\n")[0] ?? "";
    if (head.includes('"format":"stockproof-history"')) return "stockproof";
    if (/^\s*\{/.test(head)) return "k6";
    return "jtl";
  } finally {
    closeSync(fd);
  }
}

/** Reads each file as the given format (or as sniffed), into one or more histories (one per writer). */
export async function loadHistories(
  files: readonly string[],
  scenario: string,
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
        : kind === "k6"
          ? await readK6(file, scenario)
          : await readJtl(file, scenario);
    if (!read.ok) return read;
    histories.push(...read.value);
  }
  return ok(histories);
}
