/**
 * @module
 * Reads a JMeter JTL (CSV) of an exported plan as histories the checker can judge.
 */

import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { err, ok, type Result } from "../../backend/domain/types.js";
import type { History } from "./format.js";
import { answerOf, byWriter, cutShort, type Picked, parseLabel, requestOfUrl } from "./imported.js";

/** The JMeter variable the exported plan extracts the problem `code` into, saved as a JTL column. */
export const jtlCodeColumn = "stockproof_code";
/** The JTL column (a sample variable) the exported plan saves each request's user in. */
export const jtlUserColumn = "stockproof_user";
/** What that column holds for an answer without a problem `code` (the extractor's default). */
export const jtlNoCode = "-";
/** A code column read as "no code": the plan's default, or JMeter's "null" for a variable never set. */
const unsetCell = (cell: string | undefined) => cell === undefined || cell === jtlNoCode || cell === "null";

/**
 * Reads a JMeter JTL in CSV form with its header line (jmeter.save.saveservice.print_field_names,
 * off by default in JMeter 2.13) and the URL saved (jmeter.save.saveservice.url=true). timeStamp is taken as the
 * sample's start (JMeter's default, sampleresult.timestamp.start=true); start + elapsed is its end.
 * Samples whose label is not `sp:<phase>:<round>:<case>` (logins, say) are left out.
 */
export async function readJtl(file: string, scenario: string): Promise<Result<History[], string>> {
  const rows: Record<string, string>[] = [];
  try {
    const parser = createReadStream(file).pipe(
      parse({ columns: true, skip_empty_lines: true, relax_column_count: true }),
    );
    for await (const row of parser) rows.push(row as Record<string, string>);
  } catch (error) {
    return err(`Cannot read the JTL ${file} as CSV: ${(error as Error).message}`);
  }
  // A half-written last row would read as a sample with the columns it has (a host of its own).
  const incomplete = cutShort(file);
  if (incomplete !== undefined) rows.pop();
  const first = rows[0];
  if (first !== undefined) {
    const missing = ["timeStamp", "elapsed", "label", "responseCode", "URL"].filter((c) => !(c in first));
    if (missing.length > 0)
      return err(
        `${file} lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: save them with -Jjmeter.save.saveservice.url=true and the CSV header line with -Jjmeter.save.saveservice.print_field_names=true (the \`jmeter -n\` line \`stockproof export jmeter\` prints has both).`,
      );
  }
  const picked: Picked[] = [];
  let target = "";
  for (const [i, row] of rows.entries()) {
    const label = parseLabel(row.label ?? "");
    if (label === null) continue;
    const request = requestOfUrl(row.URL ?? "");
    if (request === null) return err(`${file}: row ${i + 2} (${row.label}) has no order URL: "${row.URL}".`);
    if (target === "") target = new URL(row.URL ?? "", "http://unknown").origin;
    const start = Number(row.timeStamp);
    const elapsed = Number(row.elapsed);
    const code = Number(row.responseCode);
    const status = Number.isInteger(code) && code >= 100 ? code : null;
    // JMeter writes "Non HTTP response code: java.net.SocketTimeoutException" for a request with no answer.
    const failure =
      status !== null ? null : /timeout/i.test(`${row.responseCode} ${row.responseMessage}`) ? "timeout" : "network";
    picked.push({
      host: row.Hostname ?? "",
      start,
      end: start + elapsed,
      rec: {
        t: "obs",
        ph: label.phase,
        r: label.round,
        c: label.caseName,
        k: request.kind,
        id: request.id,
        u: unsetCell(row[jtlUserColumn]) ? "" : (row[jtlUserColumn] ?? ""),
        ...answerOf(status, unsetCell(row[jtlCodeColumn]) ? null : (row[jtlCodeColumn] ?? null), failure),
        ...(status === null ? { d: `${row.responseCode} ${row.responseMessage ?? ""}`.trim() } : {}),
      },
    });
  }
  const histories = byWriter(file, "jmeter", scenario, target, picked);
  return ok(incomplete === undefined ? histories : histories.map((h) => ({ ...h, incomplete })));
}
