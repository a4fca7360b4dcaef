import { defineCommand } from "citty";
import { parseDurationFlag } from "../config/duration.js";
import { type FinalStockSource, finalStock } from "../history/final-stock.js";
import { type HistoryFormat, historyFormats, loadHistories } from "../history/load.js";
import { mergeHistories } from "../history/merge.js";
import { checkRun } from "../scenario/check/index.js";
import { runModel } from "../scenario/model.js";
import { planRun } from "../scenario/plan.js";
import { ansi, plain, terminalReport } from "../scenario/report/terminal.js";
import { writeReports } from "../scenario/report/write.js";
import { loadOrExit } from "./run.js";

const fail = (message: string): never => {
  console.error(message);
  process.exit(2);
};

export const checkCommand = defineCommand({
  meta: {
    name: "check",
    description:
      "Judge recorded histories (from `run --history`, sharded runs, or imported engine results) with the same checker and reports as `run`. Exit 0 only when every check passes.",
  },
  args: {
    scenario: {
      type: "positional",
      required: true,
      description: "The scenario the histories ran (built-in name or YAML file)",
    },
    history: {
      type: "string",
      required: true,
      description: "History files: --history a.jsonl b.jsonl … (or comma-separated)",
    },
    format: {
      type: "string",
      description:
        "stockproof (run --history), report (run --json), k6 (k6 run --out json=…), jtl (JMeter CSV results) [default: told from each file]",
    },
    "clock-skew": {
      type: "string",
      description:
        "Bound on how far any history's clock may be off, e.g. 20ms [default: the largest recorded estimate; 0 for one history]",
    },
    "final-stock": {
      type: "string",
      description: "The available stock after every history ended, as you measured it: 800001=2,800002=5",
    },
    snapshot: {
      type: "string",
      description: 'Shell command printing available stock per SKU as JSON ({"800001": 2})',
    },
    target: {
      type: "string",
      description: "Read the final stock from this server's test-control API (or with --probe, its public API)",
    },
    "admin-key": {
      type: "string",
      description: "X-Admin-Key of the target's test-control API [default stockproof-admin]",
    },
    probe: {
      type: "boolean",
      default: false,
      description: "Measure the final stock through the target's public API (needs --target)",
    },
    json: { type: "string", description: "Write the JSON report to this file" },
    junit: { type: "string", description: "Write a JUnit XML report to this file" },
    html: { type: "string", description: "Write a self-contained HTML report to this file" },
  },
  async run({ args }) {
    const scenario = loadOrExit(args.scenario);
    const files = [args.history, ...args._.slice(1)].flatMap((f) => String(f).split(",")).filter((f) => f !== "");
    let clockSkewMs: number | undefined;
    try {
      if (args["clock-skew"] !== undefined)
        clockSkewMs = parseDurationFlag("--clock-skew", args["clock-skew"], { minMs: 0, maxMs: 3_600_000 });
    } catch (error) {
      fail((error as Error).message);
    }
    const sources: FinalStockSource[] = [];
    if (args["final-stock"] !== undefined) sources.push({ kind: "stated", text: args["final-stock"] });
    if (args.snapshot !== undefined) sources.push({ kind: "command", command: args.snapshot });
    if (args.probe === true) {
      if (args.target === undefined)
        fail("--probe measures the stock through a server's public API: pass --target URL.");
      sources.push({ kind: "probe", target: args.target as string });
    } else if (args.target !== undefined) {
      sources.push({ kind: "admin", target: args.target, adminKey: args["admin-key"] ?? "stockproof-admin" });
    }
    if (sources.length > 1)
      fail(
        "Give the final stock one way: --final-stock, --snapshot, --target (test-control API) or --target with --probe.",
      );

    const format = args.format ?? "auto";
    if (format !== "auto" && !historyFormats.includes(format as HistoryFormat))
      fail(`--format must be one of ${historyFormats.join(", ")} (got "${format}")`);
    const loaded = await loadHistories(files, scenario, format as HistoryFormat | "auto");
    if (!loaded.ok) return fail(loaded.error);
    const histories = loaded.value;
    const source = sources[0];
    let stock: Awaited<ReturnType<typeof finalStock>> | undefined;
    if (source !== undefined) {
      stock = await finalStock(source, scenario, () => runModel(scenario, planRun(scenario, "check")).final);
      if (!stock.ok) {
        console.error(stock.error);
        process.exit(3);
      }
    }
    const merged = mergeHistories(scenario, histories, {
      ...(clockSkewMs === undefined ? {} : { clockSkewMs }),
      ...(stock?.ok ? { finalStock: stock.value } : {}),
    });
    if (!merged.ok) return fail(merged.error);
    const { result } = merged.value;
    const verdict = checkRun(result);
    console.log(terminalReport(result, verdict, process.stdout.isTTY ? ansi : plain));
    for (const path of writeReports(args, result, verdict)) console.log(`wrote ${path}`);
    process.exitCode = verdict.verdict === "pass" ? 0 : 1;
  },
});
