import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineCommand } from "citty";
import { createReference } from "../reference.js";
import { jsonText, writeReportFile } from "../report/write.js";
import { checkRun } from "../scenario/check/index.js";
import { compareRuns } from "../scenario/compare.js";
import { createProgressView } from "../scenario/progress.js";
import { jsonReport } from "../scenario/report/json.js";
import { ansi, plain, table, terminalReport } from "../scenario/report/terminal.js";
import { writeReports } from "../scenario/report/write.js";
import { runScenario } from "../scenario/runner.js";
import { listen } from "../server/listen.js";
import { loadOrExit, optionsOrExit, scenarioArgs } from "./run.js";

export const compareCommand = defineCommand({
  meta: {
    name: "compare",
    description:
      "Run a scenario against a fresh reference server and against the target, and show side by side where outcomes, final stock and error classes differ.",
  },
  args: scenarioArgs,
  async run({ args }) {
    const scenario = loadOrExit(args.scenario);
    const options = optionsOrExit(args);
    const paint = process.stdout.isTTY ? ansi : plain;
    const dir = mkdtempSync(join(tmpdir(), "stockproof-compare-"));
    // The reference holds as long as the target is declared to: --hold-ttl, else the scenario's given.holdTtl.
    const holdTtlMs = options.holdTtlMs ?? scenario.holdTtl?.ttlMs ?? null;
    const reference = createReference({
      db: join(dir, "reference.db"),
      adminKey: "stockproof-admin",
      ...(holdTtlMs === null ? {} : { rules: { holdTtlMs } }),
    });
    const listening = await listen(reference.app.fetch, { port: 0, host: "127.0.0.1" });
    // As `serve --hold-ttl` does: writes sweep due holds, the timer returns stock while idle.
    const sweeper =
      holdTtlMs === null
        ? undefined
        : setInterval(
            () => {
              try {
                reference.service.sweep();
              } catch {
                // A busy store is retried on the next tick; a write sweeps before it decides anyway.
              }
            },
            Math.min(holdTtlMs, 1000),
          );
    sweeper?.unref();
    try {
      const runOn = async (
        label: string,
        target: string,
        adminKey: string | null,
        stockSetup: "admin" | "declared",
      ) => {
        const view = args.progress === false ? null : createProgressView();
        const result = await runScenario(
          { ...scenario, stockSetup },
          {
            ...options,
            target,
            adminKey,
            ...(view ? { onProgress: (p) => view.update({ ...p, phase: `${label} ${p.phase}` }) } : {}),
          },
        );
        view?.stop();
        return { result, verdict: checkRun(result) };
      };
      // The reference always sets the given stock itself, even when the target's is declared.
      const ref = await runOn("reference", listening.url, "stockproof-admin", "admin");
      const target = await runOn("target", options.target, options.adminKey, scenario.stockSetup);
      console.log(terminalReport(target.result, target.verdict, paint));
      console.log("");
      console.log(paint("bold", `Side by side: reference (${listening.url}) vs target (${options.target})`));
      const rows = compareRuns(ref, target);
      const lines = table([
        ["", "reference", "target", ""],
        ...rows.map((r) => [r.what, r.reference, r.target, r.differs ? "≠" : ""]),
      ]);
      for (const [i, line] of lines.entries()) {
        console.log(i > 0 && rows[i - 1]?.differs ? paint("yellow", line) : line);
      }
      if (args.json) {
        writeReportFile(
          args.json,
          jsonText({
            reference: jsonReport(ref.result, ref.verdict),
            target: jsonReport(target.result, target.verdict),
            comparison: rows,
          }),
        );
        console.log(`wrote ${args.json}`);
      }
      for (const path of writeReports({ junit: args.junit, html: args.html }, target.result, target.verdict))
        console.log(`wrote ${path}`);
      process.exitCode = target.verdict.verdict === "pass" ? 0 : 1;
    } finally {
      clearInterval(sweeper);
      await listening.close();
      reference.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
