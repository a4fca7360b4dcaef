/**
 * @module
 * Reads a `run --json` report back as a history, so an earlier run can be judged again.
 */

import { readFile } from "node:fs/promises";
import { err, ok, type Result } from "../../backend/domain/types.js";
import type { StockSnapshot } from "../scenario/admin.js";
import type { OutcomeClass } from "../scenario/client.js";
import type { Scenario } from "../scenario/types.js";
import { type History, historyFormat, historyVersion, type ObservationRecord, type PhaseRecord } from "./format.js";

interface TimelineEntry {
  readonly phase: string;
  readonly round: number;
  readonly case: string;
  readonly kind: ObservationRecord["k"];
  readonly paymentOrderId: string;
  readonly user: string;
  readonly sentAt: number | null;
  readonly endedAt: number | null;
  readonly status: number | null;
  readonly outcome: string;
  readonly class: OutcomeClass;
  readonly detail?: string;
}

interface ReportPhase {
  readonly name: string;
  readonly traffic: PhaseRecord["traffic"];
  readonly spreadMs: number | null;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly before: StockSnapshot | null;
  readonly after: StockSnapshot | null;
}

interface JsonReportShape {
  readonly scenario?: { readonly name?: string };
  readonly target?: string;
  readonly runId?: string;
  readonly startedAt?: string;
  readonly speed?: number;
  readonly timedOut?: boolean;
  readonly setupError?: string | null;
  readonly notes?: string[];
  readonly wallMs?: number;
  readonly phases?: ReportPhase[];
  readonly timeline?: TimelineEntry[];
}

/**
 * Reads the JSON report of `run --json` (its `timeline`: every request with its times, answer and
 * class; its phases with their snapshots) as a history, so an earlier run can be judged again.
 * The report rounds times to 0.01 ms: each interval is widened by that much.
 */
export async function readJsonReport(file: string, scenario: Scenario): Promise<Result<History, string>> {
  let report: JsonReportShape;
  try {
    report = JSON.parse(await readFile(file, "utf8")) as JsonReportShape;
  } catch (error) {
    return err(`Cannot read the JSON report ${file}: ${(error as Error).message}`);
  }
  if (!Array.isArray(report.timeline) || !Array.isArray(report.phases) || report.startedAt === undefined)
    return err(`${file} is not a stockproof JSON report with a timeline (written by run --json).`);
  const indexOf = new Map(scenario.phases.map((p, i) => [p.name, i]));
  const unknown = report.phases.find((p) => !indexOf.has(p.name));
  if (unknown !== undefined)
    return err(`${file} has a phase "${unknown.name}" the scenario "${scenario.name}" does not have.`);
  const observations = report.timeline.map(
    (t): ObservationRecord => ({
      t: "obs",
      ph: indexOf.get(t.phase) ?? 0,
      r: t.round,
      c: t.case,
      k: t.kind,
      id: t.paymentOrderId,
      u: t.user,
      s: t.sentAt === null ? null : t.sentAt - 0.01,
      e: t.endedAt === null ? null : t.endedAt + 0.01,
      st: t.status,
      o: t.outcome,
      kl: t.class,
      ...(t.detail === undefined ? {} : { d: t.detail }),
    }),
  );
  const phases = report.phases.map(
    (p): PhaseRecord => ({
      t: "phase",
      index: indexOf.get(p.name) ?? 0,
      name: p.name,
      traffic: p.traffic,
      spreadMs: p.spreadMs,
      startedAt: p.startedAt,
      endedAt: p.startedAt + p.durationMs,
      before: p.before,
      after: p.after,
    }),
  );
  const epochWallMs = Date.parse(report.startedAt);
  return ok({
    file,
    header: {
      t: "history",
      format: historyFormat,
      version: historyVersion,
      scenario: report.scenario?.name ?? scenario.name,
      target: report.target ?? "",
      runId: report.runId ?? "report",
      shard: { index: 0, count: 1 },
      startedAt: report.startedAt,
      epochWallMs,
      clock: null,
      startAt: null,
      speed: report.speed ?? 1,
      source: "stockproof report",
    },
    observations,
    phases,
    end: {
      t: "end",
      wallMs: report.wallMs ?? 0,
      timedOut: report.timedOut ?? false,
      setupError: report.setupError ?? null,
      notes: report.notes ?? [],
    },
  });
}
