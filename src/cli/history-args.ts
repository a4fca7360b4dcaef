/**
 * @module
 * The recording flags of `run` (--history, --shard, --start-at), the history written as it runs, shard files.
 */

import { basename } from "node:path";
import { UsageError } from "../base/config/errors.js";
import type { OptionTable } from "../base/config/options.js";
import { estimateClockOffset } from "../verify/history/clock.js";
import { createHistoryWriter, headerOf } from "../verify/history/writer.js";
import { describeStop } from "../verify/scenario/check/stopped.js";
import type { RecordingOptions, RunResult } from "../verify/scenario/runner.js";
import { boundStartAt, parseShard, parseStartAt, type Shard } from "../verify/scenario/shard.js";
import { countOutcomes } from "../verify/scenario/stats.js";
import type { Scenario } from "../verify/scenario/types.js";

/** The options of a run that records its history, alone or as one shard of several generators. */
export const historyOptions = {
  history: {
    type: "string",
    valueHint: "FILE",
    description: "Write the run's history (JSON Lines) to this file, for `stockproof check`",
  },
  shard: {
    type: "string",
    valueHint: "i/N",
    description: "Send only this generator's share of the rounds: i/N, i from 0 (needs --history)",
  },
  "start-at": {
    type: "string",
    valueHint: "ISO-TIME",
    description:
      "Release the traffic at this ISO instant, e.g. 2026-05-01T10:00:00Z, after logging in and opening connections",
  },
} as const satisfies OptionTable;

export interface HistoryFlags {
  history?: string | undefined;
  shard?: string | undefined;
  "start-at"?: string | undefined;
}

export interface HistoryPlan {
  readonly file: string | null;
  readonly shard: Shard | null;
  readonly startAt: number | null;
}

/** Parses --history, --shard and --start-at; throws a UsageError naming the flag and the fix. */
export function recordingFlagsFrom(args: HistoryFlags): HistoryPlan {
  const usage = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  };
  const shard = args.shard === undefined ? null : usage(() => parseShard(args.shard as string));
  const startAt =
    args["start-at"] === undefined
      ? null
      : usage(() => {
          const text = args["start-at"] as string;
          return boundStartAt(parseStartAt(text), text);
        });
  if (shard !== null && args.history === undefined)
    throw new UsageError(
      "--shard needs --history FILE: each shard writes its history, and `stockproof check` merges them.",
    );
  if (startAt !== null && startAt < Date.now())
    throw new UsageError(
      `--start-at ${args["start-at"]} has passed: give every shard an instant a little in the future.`,
    );
  return { file: args.history ?? null, shard, startAt };
}

/** Validates the flags against the scenario; throws a message naming the flag and the fix. */
export function historyPlanFrom(args: HistoryFlags, scenario: Scenario, phase: string | undefined): HistoryPlan {
  const plan = recordingFlagsFrom(args);
  if (plan.shard !== null && plan.shard.count > 1 && scenario.phases.length > 1 && phase === undefined)
    throw new UsageError(
      `The scenario has ${scenario.phases.length} phases; shards release one phase at one instant: run each phase with --phase NAME and its own --start-at (phases: ${scenario.phases.map((p) => p.name).join(", ")}).`,
    );
  return plan;
}

/**
 * Runs `go` with the shard and start instant; with a history file, streams the history to it as
 * the run goes (header with this machine's clock estimate first, each answer as it arrives, each
 * phase when it ends, the end record last). A run that throws leaves the file without its end
 * record, which `check` refuses to judge.
 */
export async function runRecorded(
  plan: HistoryPlan,
  target: string,
  go: (extra: RecordingOptions) => Promise<RunResult>,
): Promise<{ result: RunResult; wrote: string | null }> {
  const sharding = {
    ...(plan.shard === null ? {} : { shard: plan.shard }),
    ...(plan.startAt === null ? {} : { startAt: plan.startAt }),
  };
  if (plan.file === null) return { result: await go(sharding), wrote: null };
  const clock = await estimateClockOffset(target);
  let writer: ReturnType<typeof createHistoryWriter>;
  try {
    writer = createHistoryWriter(plan.file);
  } catch (error) {
    throw new UsageError(`--history ${plan.file} cannot be written: ${(error as Error).message}`);
  }
  let result: RunResult;
  try {
    result = await go({
      ...sharding,
      onStart: (start) =>
        writer.header(
          headerOf(start, {
            shard: plan.shard ?? { index: 0, count: 1 },
            clock,
            startAt: plan.startAt === null ? null : new Date(plan.startAt).toISOString(),
            epochWallMs: Date.parse(start.startedAt),
          }),
        ),
      onObservation: writer.observation,
      onPhase: writer.phase,
    });
  } catch (error) {
    await writer.abandon().catch(() => {});
    throw error;
  }
  await writer.end(result);
  return { result, wrote: plan.file };
}

/**
 * Every shard's history file, from this shard's: the number in a `shard-i` (or the one number in
 * the name) equal to this shard's index is the shard number. Null when the name holds none, or
 * several that could be it.
 */
export function shardFiles(file: string, shard: Shard): string[] | null {
  const base = basename(file);
  const head = file.slice(0, file.length - base.length);
  const own = String(shard.index);
  const tagged = [...base.matchAll(/shard[-_.]?(\d+)/gi)].filter((m) => m[1] === own);
  const numbers = [...base.matchAll(/\d+/g)].filter((m) => m[0] === own);
  const at =
    tagged.length === 1 && tagged[0] !== undefined
      ? (tagged[0].index ?? 0) + tagged[0][0].length - own.length
      : numbers.length === 1 && numbers[0] !== undefined
        ? (numbers[0].index ?? 0)
        : null;
  if (at === null) return null;
  return Array.from({ length: shard.count }, (_, i) => `${head}${base.slice(0, at)}${i}${base.slice(at + own.length)}`);
}

/** Where check can read the final stock of sharded runs: the test-control API, the team's --snapshot, or nowhere known. */
export type FinalStockSource =
  | { readonly kind: "admin" }
  | { readonly kind: "snapshot"; readonly command: string }
  | { readonly kind: "none" };

/** check's flags for the final stock: a shard run without the test-control API cannot give --target alone (check would ask its API). */
function finalStockFlags(result: RunResult, source: FinalStockSource): string {
  if (source.kind === "admin") return `--target ${result.target}`;
  if (source.kind === "snapshot") return `--snapshot '${source.command.replace(/'/g, "'\\''")}'`;
  const skus = result.scenario.skus.map((s) => `${s.productStockId}=N`).join(",");
  return `--final-stock ${skus} (the available stock you measure after every shard ended; or --target ${result.target} --probe)`;
}

/** What a shard prints instead of a verdict: what it sent, and how to judge all shards together. */
export function shardSummary(
  result: RunResult,
  shard: Shard,
  scenario: string,
  checkFlags = "",
  file: string | null = null,
  /** How check reads the final stock: the target's test-control API unless the shards ran without it. */
  finalStock: FinalStockSource = { kind: "admin" },
): string {
  const observations = result.phases.flatMap((p) => p.observations);
  const outcomes = Object.entries(countOutcomes(observations))
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  // The TTL the run was told of: check must be told it too.
  const ttl = result.scenario.holdTtl === null ? "" : ` --hold-ttl ${result.scenario.holdTtl.ttlMs}ms`;
  const trouble = [
    ...(result.setupError === null ? [] : [`setup failed: ${result.setupError}`]),
    ...(result.timedOut ? ["cut off at its time bound"] : []),
    ...(result.stopped === null
      ? []
      : (({ reason, fix }) => [`${reason} (fix: ${fix})`])(describeStop(result.stopped, observations))),
    ...result.notes,
  ];
  const files = file === null ? null : shardFiles(file, shard);
  const others = shard.count - 1;
  const histories =
    files !== null
      ? files.join(",")
      : file === null
        ? `<the ${shard.count} history files, comma-separated>`
        : `${file},<the other ${others} ${others === 1 ? "shard's history file" : "shards' history files"}>`;
  const unknown =
    files === null && file !== null
      ? [
          `note: the other shards' history files cannot be told from ${file} (no shard number ${shard.index} in its name): list all ${shard.count}, comma-separated`,
        ]
      : [];
  return [
    `shard ${shard.index}/${shard.count} of ${result.scenario.name}: ${observations.length} requests (${outcomes || "none"})`,
    ...trouble.map((t) => `note: ${t}`),
    ...unknown,
    `Judge every shard together: stockproof check ${scenario} --history ${histories} ${finalStockFlags(result, finalStock)}${checkFlags}${ttl}`,
  ].join("\n");
}
