/**
 * @module
 * Reads a history file line by line; one cut short is read as far as it goes and marked incomplete.
 */

import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { err, ok, type Result } from "../../backend/domain/types.js";
import {
  type EndRecord,
  type History,
  type HistoryHeader,
  historyFormat,
  type ObservationRecord,
  type PhaseRecord,
} from "./format.js";

/**
 * JSON.parse makes a new string for every value; a million records repeat a handful of case
 * names, users and outcomes. Keeping one copy of each halves what a large history holds.
 */
function createInterner() {
  const strings = new Map<string, string>();
  const one = <T extends string>(s: T): T => {
    const known = strings.get(s);
    if (known !== undefined) return known as T;
    if (strings.size < 10_000) strings.set(s, s);
    return s;
  };
  return (r: ObservationRecord): ObservationRecord => ({
    t: "obs",
    ph: r.ph,
    r: r.r,
    c: one(r.c),
    k: one(r.k),
    id: r.id,
    u: one(r.u),
    s: r.s,
    e: r.e,
    st: r.st,
    o: one(r.o),
    kl: one(r.kl),
    ...(r.d === undefined ? {} : { d: r.d }),
  });
}

/**
 * Reads a stockproof history (JSON Lines) line by line; an error names the file and line. A file
 * that stops before its end record — the run that wrote it was killed, its last line perhaps cut
 * in half — is read as far as it goes and marked incomplete.
 */
export async function readHistory(file: string): Promise<Result<History, string>> {
  let header: HistoryHeader | null = null;
  const observations: ObservationRecord[] = [];
  const phases: PhaseRecord[] = [];
  let end: EndRecord | null = null;
  let line = 0;
  // A line that is not JSON is an error, unless it is the file's last: a write cut off by a kill.
  let unreadable: number | null = null;
  const interned = createInterner();
  const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
  try {
    for await (const text of lines) {
      line++;
      if (text.trim() === "") continue;
      if (unreadable !== null) return err(`${file}:${unreadable}: not JSON — a history has one JSON record per line.`);
      let record: { t?: unknown; format?: unknown };
      try {
        record = JSON.parse(text) as typeof record;
      } catch {
        unreadable = line;
        continue;
      }
      if (header === null) {
        if (record.t !== "history" || record.format !== historyFormat)
          return err(
            `${file}:1: not a stockproof history (its first line must be the header {"t":"history","format":"${historyFormat}",…}); k6 and JMeter results are read with --format k6 or --format jtl.`,
          );
        header = record as HistoryHeader;
        continue;
      }
      if (end !== null) return err(`${file}:${line}: a record after the end record — two histories in one file?`);
      if (record.t === "obs") observations.push(interned(record as ObservationRecord));
      else if (record.t === "phase") phases.push(record as PhaseRecord);
      else if (record.t === "end") end = record as EndRecord;
      else return err(`${file}:${line}: unknown record type ${JSON.stringify(record.t)}.`);
    }
  } catch (error) {
    return err(`Cannot read the history ${file}: ${(error as Error).message}`);
  }
  if (header === null)
    return unreadable === null
      ? err(`${file} is empty: a history starts with its header line.`)
      : err(`${file}:${unreadable}: not JSON — a history starts with its header line.`);
  if (end !== null) return ok({ file, header, observations, phases, end });
  const cut = unreadable === null ? "" : `, its last line cut off (line ${unreadable})`;
  const incomplete = `${file} stops before its end record after ${observations.length} requests and ${phases.length} phase records${cut}: the run that wrote it was stopped midway`;
  return ok({ file, header, observations, phases, end, incomplete });
}
