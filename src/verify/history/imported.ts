/**
 * @module
 * What the engine importers share: plan labels, requests and answers read back, one history per writer.
 */

import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { classify } from "../scenario/client.js";
import type { History, HistoryHeader, ObservationRecord } from "./format.js";
import { historyFormat, historyVersion } from "./format.js";

/**
 * What the exported scripts stamp on each request so the checker can place it in the plan:
 * `sp:<phase>:<round>:<case>` (a JMeter sample label, a k6 tag). Anything else (logins) is skipped.
 */
export const labelOf = (phase: number | string, round: number | string, caseName: string) =>
  `sp:${phase}:${round}:${caseName}`;

export function parseLabel(label: string): { phase: number; round: number; caseName: string } | null {
  const m = /^sp:(\d+):(\d+):(.+)$/.exec(label);
  return m === null ? null : { phase: Number(m[1]), round: Number(m[2]), caseName: m[3] as string };
}

/** The kind of request and its paymentOrderId, read from the URL the engine sent. */
export function requestOfUrl(url: string): { kind: ObservationRecord["k"]; id: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url, "http://unknown");
  } catch {
    return null;
  }
  if (parsed.pathname.endsWith("/orders/payment/choice")) {
    const id = parsed.searchParams.get("paymentOrderId");
    return id === null ? null : { kind: "reserve", id };
  }
  const m = /\/orders\/payment\/(kcp\/payResultTest|cancel)\/([^/?]+)$/.exec(parsed.pathname);
  if (m === null) return null;
  return { kind: m[1] === "cancel" ? "cancel" : "pay", id: decodeURIComponent(m[2] as string) };
}

/** The answer in the runner's terms: status and problem code → outcome and class. */
export function answerOf(
  status: number | null,
  code: string | null,
  failure: "timeout" | "network" | null,
): Pick<ObservationRecord, "st" | "o" | "kl"> {
  const { outcome, klass } = classify({
    sentAt: 0,
    endedAt: 0,
    status,
    code: code === null || code === "" ? null : code,
    body: "",
    failure,
    cause: null,
    message: null,
  });
  return { st: status, o: outcome, kl: klass };
}

/** One request as an importer read it: times in ms since 1970 on the writer's clock. */
export interface Picked {
  /** The machine that sent it (JTL Hostname, k6 instance tag), "" when not recorded. */
  readonly host: string;
  readonly start: number;
  readonly end: number;
  readonly rec: Omit<ObservationRecord, "s" | "e">;
}

/**
 * One history per writer: each machine has its own clock, so a file from a distributed engine
 * becomes several histories, merged with a clock-skew bound like shards. Times are whole
 * milliseconds: each interval is widened by one so it contains the true one.
 */
export function byWriter(
  file: string,
  source: "k6" | "jmeter",
  scenario: string,
  target: string,
  picked: readonly Picked[],
): History[] {
  const hosts = new Map<string, Picked[]>();
  for (const p of picked) {
    const list = hosts.get(p.host);
    if (list === undefined) hosts.set(p.host, [p]);
    else list.push(p);
  }
  if (hosts.size === 0) hosts.set("", []);
  return [...hosts].map(([host, list]) => {
    const epoch = list.reduce((m, p) => Math.min(m, p.start), list[0]?.start ?? 0);
    const records = list.map((p): ObservationRecord => ({ ...p.rec, s: p.start - epoch - 1, e: p.end - epoch + 1 }));
    const name = hosts.size > 1 ? `${file} (${host})` : file;
    return importedHistory(name, source, scenario, target, records, epoch);
  });
}

/** A history of an engine's results: times in ms since its earliest request, on the engine's wall clock. */
export function importedHistory(
  file: string,
  source: "k6" | "jmeter",
  scenario: string,
  target: string,
  records: readonly ObservationRecord[],
  epochWallMs: number,
): History {
  const header: HistoryHeader = {
    t: "history",
    format: historyFormat,
    version: historyVersion,
    scenario,
    target,
    runId: source,
    shard: { index: 0, count: 1 },
    startedAt: new Date(epochWallMs).toISOString(),
    epochWallMs,
    clock: null,
    startAt: null,
    speed: 1,
    source,
  };
  return { file, header, observations: records, phases: [], end: null };
}

/**
 * Whether the engine finished writing the file: JMeter and k6 end every record with a line break,
 * so a file that does not was cut while being written (the engine stopped or is still running).
 * Their results carry no end record; this is the one sign of a cut they leave.
 */
export function cutShort(file: string): string | undefined {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return undefined;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] === 0x0a
      ? undefined
      : `${file} ends in the middle of a line: the engine was stopped while writing it (or is still writing)`;
  } finally {
    closeSync(fd);
  }
}
