/**
 * @module
 * `stockproof check`: judges recorded or imported histories with the same checker and reports as `run`.
 */

import { setTimeout as sleep } from "node:timers/promises";
import { defaultAdminKey } from "../base/config/defaults.js";
import { parseDurationFlag } from "../base/config/duration.js";
import { CannotJudge, UsageError } from "../base/config/errors.js";
import { holdDeclarationFrom, parsePositiveOption, vocabulary } from "../base/config/vocabulary.js";
import { scaleScenario } from "../verify/audit/sizes.js";
import { type FinalStockSource, finalStock } from "../verify/history/final-stock.js";
import type { History } from "../verify/history/format.js";
import { type HistoryFormat, historyFormats, loadHistories } from "../verify/history/load.js";
import { clockBound, type Merged, type MergeOptions, mergeHistories } from "../verify/history/merge.js";
import { reconcileRecordedPlan } from "../verify/history/recorded-plan.js";
import { holdsSettleWallMs } from "../verify/history/settle.js";
import { ansi, plain, terminalReport } from "../verify/report/run/terminal.js";
import { writeReports } from "../verify/report/run/write.js";
import { checkRun } from "../verify/scenario/check/index.js";
import { runModel } from "../verify/scenario/model.js";
import { planRun } from "../verify/scenario/plan.js";
import { withHoldTtl } from "../verify/scenario/runner.js";
import type { Scenario } from "../verify/scenario/types.js";
import { defineCliCommand } from "./command.js";
import { exitOfVerdict } from "./exit-codes.js";
import { scenarioFrom } from "./run.js";

const checkOptions = {
  scenario: {
    type: "positional",
    required: true,
    description: "The scenario the histories ran (built-in name or YAML file)",
  },
  history: {
    type: "string",
    valueHint: "FILE[,FILE…]",
    required: true,
    description:
      "History files, comma-separated: run --history files, run --json reports, k6 JSON output or JMeter JTL results",
  },
  format: {
    type: "string",
    valueHint: "FORMAT",
    description: `One of ${historyFormats.join(", ")}`,
    defaultText: "told from each file",
  },
  "clock-skew": {
    type: "string",
    valueHint: "DURATION",
    description: "Bound on how far any history's clock may be off, e.g. 20ms",
    defaultText: "the largest recorded estimate; 0 for one history",
  },
  "final-stock": {
    type: "string",
    valueHint: "SKU=N,…",
    description: "The available stock after every history ended, as you measured it, e.g. 800001=2,800002=5",
  },
  snapshot: {
    type: "string",
    valueHint: "COMMAND",
    description: 'Shell command printing available stock per SKU as JSON ({"800001": 2})',
  },
  target: {
    ...vocabulary.target,
    required: false,
    description: "Read the final stock from this server's test-control API (or with --probe, its public API)",
  },
  "admin-key": vocabulary["admin-key"],
  scale: {
    type: "string",
    valueHint: "FACTOR",
    description: "The --scale the histories were recorded with by `audit`: multiplies the scenario's rounds and stock",
    default: "1",
  },
  "hold-ttl": vocabulary["hold-ttl"],
  "expiry-grace": vocabulary["expiry-grace"],
  probe: { type: "boolean", default: false, description: "Measure the final stock through the target's public API" },
  json: vocabulary.json,
  junit: vocabulary.junit,
  html: vocabulary.html,
} as const;

export const checkCommand = defineCliCommand({
  name: "check",
  description:
    "Judge recorded histories (from `run --history`, sharded runs, or imported engine results) with the same checker and reports as `run`. Exit 0 only when every check passes.",
  options: checkOptions,
  examples: [
    "stockproof check seed-3-1 --history shard-0.jsonl,shard-1.jsonl,shard-2.jsonl --target http://127.0.0.1:8080",
    "stockproof check my-3-1.yaml --history results.jtl --final-stock 800001=0 --junit check.xml",
    "stockproof check my-3-1.yaml --history k6.json --snapshot ./stock.sh --clock-skew 50ms",
  ],
  exitCodes:
    "0 every check passed · 1 a check failed · 2 bad usage, scenario or history file · 3 could not judge (the final stock could not be read, the target stopped answering, expiry not declared)",
  async run({ values, from }, io) {
    // The TTL the target released holds after, as `run --hold-ttl` was told it (given.holdTtl otherwise).
    const scale = parsePositiveOption(from.scale, values.scale);
    const scenario = withHoldTtl(
      scaleScenario(scenarioFrom(values.scenario, {}), scale),
      holdDeclarationFrom(values, from),
    );
    const files = values.history.split(",").filter((f) => f.trim() !== "");
    const clockSkewMs =
      values["clock-skew"] === undefined
        ? undefined
        : parseDurationFlag(from["clock-skew"], values["clock-skew"], { minMs: 0, maxMs: 3_600_000 });
    const sources: FinalStockSource[] = [];
    if (values["final-stock"] !== undefined) sources.push({ kind: "stated", text: values["final-stock"] });
    if (values.snapshot !== undefined) sources.push({ kind: "command", command: values.snapshot });
    if (values.probe) {
      if (values.target === undefined)
        throw new UsageError("--probe measures the stock through a server's public API: pass --target URL.");
      sources.push({ kind: "probe", target: values.target });
    } else if (values.target !== undefined) {
      sources.push({ kind: "admin", target: values.target, adminKey: values["admin-key"] ?? defaultAdminKey });
    }
    if (sources.length > 1)
      throw new UsageError(
        "Give the final stock one way: --final-stock, --snapshot, --target (test-control API) or --target with --probe.",
      );
    const format = values.format ?? "auto";
    if (format !== "auto" && !historyFormats.includes(format as HistoryFormat))
      throw new UsageError(`--format must be one of ${historyFormats.join(", ")} (got "${format}")`);
    const source = sources[0];
    const stockOf = async (judged: Scenario, histories: readonly History[]) => {
      if (source === undefined) return undefined;
      if (source.kind !== "stated") await awaitHoldsSettled(judged, histories, clockSkewMs, io);
      const stock = await finalStock(source, judged, () => runModel(judged, planRun(judged, "check")).final);
      if (!stock.ok)
        throw new CannotJudge(stock.error, "check the final-stock source, or state it with --final-stock SKU=N,…");
      return stock.value;
    };
    // A TTL check was told (flag or the scenario's given) must be the run's; else the run's is used.
    const ttlGiven = values["hold-ttl"] !== undefined || scenario.holdTtl !== null;
    const { result } = await loadAndMerge(files, scenario, format as HistoryFormat | "auto", stockOf, {
      clockSkewMs,
      ttlGiven,
    });
    const verdict = checkRun(result);
    io.out(terminalReport(result, verdict, io.color ? ansi : plain));
    for (const path of writeReports(values, result, verdict)) io.out(`wrote ${path}`);
    return exitOfVerdict(verdict.verdict);
  },
});

/**
 * Reads the histories, takes the final stock once they are known to be readable, and merges: in a
 * frame of its own, so the records (hundreds of MB for a million requests) are garbage before the
 * checks run.
 */
async function loadAndMerge(
  files: readonly string[],
  scenario: Scenario,
  format: HistoryFormat | "auto",
  stockOf: (judged: Scenario, histories: readonly History[]) => Promise<MergeOptions["finalStock"]>,
  { clockSkewMs, ttlGiven }: { clockSkewMs: number | undefined; ttlGiven: boolean },
): Promise<Merged> {
  const loaded = await loadHistories(files, scenario, format);
  if (!loaded.ok) throw new UsageError(loaded.error);
  const cut = loaded.value.flatMap((h) => (h.incomplete === undefined ? [] : [h.incomplete]));
  // Requests the prefix never recorded may have moved stock: judging it could pass over them.
  if (cut.length > 0)
    throw new CannotJudge(
      `${cut.join("; ")}. A history cut short cannot be judged: requests it never recorded may have moved stock`,
      "run the scenario (or that shard) again to the end; the file keeps what was recorded",
    );
  const judged = reconcileRecordedPlan(scenario, loaded.value, ttlGiven);
  const stock = await stockOf(judged, loaded.value);
  const merged = mergeHistories(judged, loaded.value, {
    ...(clockSkewMs === undefined ? {} : { clockSkewMs }),
    ...(stock === undefined ? {} : { finalStock: stock }),
  });
  if (!merged.ok) throw new UsageError(merged.error);
  return merged.value;
}

/**
 * With a declared TTL, the final stock means the stock once every hold's release window has
 * closed: measured earlier, holds the server is about to release would count as never released.
 * Waits (a protocol step, not a synchronisation sleep) until that instant by this machine's clock,
 * with a second's margin for the clocks.
 */
async function awaitHoldsSettled(
  scenario: Scenario,
  histories: readonly History[],
  clockSkewMs: number | undefined,
  io: { err(line: string): void },
): Promise<void> {
  const bound = clockBound(histories, clockSkewMs);
  const settled = holdsSettleWallMs(scenario, histories, bound.ok ? bound.value.boundMs : 0);
  if (settled === null) return;
  const waitMs = settled + 1_000 - Date.now();
  if (waitMs <= 0) return;
  io.err(
    `waiting ${(waitMs / 1000).toFixed(1)} s for every hold's release window to close before reading the final stock`,
  );
  await sleep(waitMs);
}
