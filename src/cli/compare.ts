/**
 * @module
 * `stockproof compare`: runs a scenario against a fresh reference and the target, and shows where they differ.
 */

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createReference } from "../backend/reference.js";
import { startIdleSweeper } from "../backend/server/idle-sweeper.js";
import { listen } from "../backend/server/listen.js";
import { defaultAdminKey, defaultHost } from "../base/config/defaults.js";
import { CannotJudge } from "../base/config/errors.js";
import type { OptionTable } from "../base/config/options.js";
import { parseIntegerOption } from "../base/config/vocabulary.js";
import { jsonText, writeReportFile } from "../base/report-kit/write.js";
import { compareHtml } from "../verify/report/run/compare-html.js";
import { jsonReport } from "../verify/report/run/json.js";
import { ansi, plain, table, terminalReport } from "../verify/report/run/terminal.js";
import { writeReports } from "../verify/report/run/write.js";
import { checkRun } from "../verify/scenario/check/index.js";
import { compareRuns } from "../verify/scenario/compare.js";
import { createProgressView } from "../verify/scenario/progress.js";
import { runScenario, withHoldTtl } from "../verify/scenario/runner.js";
import { defineCliCommand } from "./command.js";
import { compareExit, referenceAccounts, sideNotJudged } from "./compare-sides.js";
import { checkTarget, runOptionsFrom, scenarioFrom, scenarioOptions } from "./run.js";
import { targetStock } from "./target-stock.js";

const compareOptions = {
  ...scenarioOptions,
  "reference-port": {
    type: "string",
    valueHint: "PORT",
    description: "Port the fresh reference listens on, on 127.0.0.1 (0: any free port)",
    default: "0",
  },
} as const satisfies OptionTable;

export const compareCommand = defineCliCommand({
  name: "compare",
  description:
    "Run a scenario against a fresh reference server and against the target, and show side by side where outcomes, final stock and error classes differ.",
  options: compareOptions,
  examples: [
    "stockproof compare races --target http://127.0.0.1:9090",
    "stockproof compare my-3-2.yaml --target https://dev.example.com --speed 10 --reference-port 18080 --json compare.json",
  ],
  async run({ values, from }, io) {
    const options = runOptionsFrom(values, from);
    // --setup and --snapshot are the target's: the fresh reference sets and reads its own stock.
    const { scenario, hooks } = targetStock(scenarioFrom(values.scenario, values, from), values);
    const targetAdminKey = await checkTarget(scenario, options);
    const port = parseIntegerOption(from["reference-port"], values["reference-port"], 0, 65_535);
    const paint = io.color ? ansi : plain;
    const dir = mkdtempSync(join(tmpdir(), "stockproof-compare-"));
    // The reference holds as long as the target is declared to: --hold-ttl, else the scenario's given.holdTtl.
    const holdTtlMs = withHoldTtl(scenario, options).holdTtl?.ttlMs ?? null;
    const reference = createReference({
      db: join(dir, "reference.db"),
      adminKey: defaultAdminKey,
      // The target's logins (--users, --client, STOCKPROOF_*, the scenario's given) are accounts of
      // this fresh reference too: both sides run the same scenario, and the reference never refuses
      // a dev server's users as strangers.
      ...referenceAccounts(scenario),
      ...(holdTtlMs === null ? {} : { rules: { holdTtlMs } }),
    });
    const listening = await listen(reference.app.fetch, { port, host: defaultHost }).catch((error: Error) => {
      reference.close();
      rmSync(dir, { recursive: true, force: true });
      throw new CannotJudge(
        `the reference for compare cannot listen on ${defaultHost}:${port} (${(error as { code?: string }).code ?? error.message})`,
        `choose another ${from["reference-port"]}, or 0 for any free port`,
      );
    });
    // As `serve --hold-ttl` does: writes sweep due holds, the timer returns stock while idle.
    const stopSweeping = startIdleSweeper(() => reference.service.sweep(), holdTtlMs);
    try {
      const runOn = async (
        label: string,
        target: string,
        adminKey: string | null,
        stockSetup: "admin" | "declared",
        stock: typeof hooks = {},
      ) => {
        const view = values.progress ? createProgressView(io.errStream) : null;
        const result = await runScenario(
          { ...scenario, stockSetup },
          {
            ...options,
            target,
            adminKey,
            ...stock,
            ...(io.interrupt === undefined ? {} : { interrupt: io.interrupt }),
            ...(view ? { onProgress: (p) => view.update({ ...p, phase: `${label} ${p.phase}` }) } : {}),
          },
        );
        view?.stop();
        return { result, verdict: checkRun(result) };
      };
      // The reference always sets the given stock itself, even when the target's is declared.
      const ref = await runOn("reference", listening.url, defaultAdminKey, "admin");
      const target = await runOn("target", options.target, targetAdminKey, scenario.stockSetup, hooks);
      io.out(terminalReport(target.result, target.verdict, paint));
      io.out("");
      io.out(paint("bold", `Side by side: reference (${listening.url}) vs target (${options.target})`));
      const rows = compareRuns(ref, target);
      const lines = table([
        ["", "reference", "target", ""],
        ...rows.map((r) => [r.what, r.reference, r.target, r.differs ? "≠" : ""]),
      ]);
      for (const [i, line] of lines.entries()) io.out(i > 0 && rows[i - 1]?.differs ? paint("yellow", line) : line);
      if (values.json) {
        writeReportFile(
          values.json,
          jsonText({
            reference: jsonReport(ref.result, ref.verdict),
            target: jsonReport(target.result, target.verdict),
            comparison: rows,
          }),
        );
        io.out(`wrote ${values.json}`);
      }
      for (const path of writeReports({ junit: values.junit }, target.result, target.verdict)) io.out(`wrote ${path}`);
      if (values.html) {
        writeReportFile(values.html, compareHtml(ref, target, rows));
        io.out(`wrote ${values.html}`);
      }
      const refused = sideNotJudged("reference", ref.verdict);
      if (refused !== null) for (const line of refused) io.out(paint("yellow", line));
      return compareExit(ref.verdict, target.verdict);
    } finally {
      stopSweeping();
      await listening.close();
      reference.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
});
