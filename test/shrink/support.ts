import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { defaultAdminKey } from "../../src/base/config/defaults.js";
import type { ClassId } from "../../src/verify/audit/classes.js";
import { createStockObserver } from "../../src/verify/history/stock-observer.js";
import { parseScenario } from "../../src/verify/scenario/load.js";
import type { Scenario } from "../../src/verify/scenario/types.js";
import { auditRunner, judgeOnce } from "../../src/verify/shrink/judge.js";
import { cli } from "../helpers/cli.js";

/** A scratch folder for the files a shrink writes, removed by the returned function. */
export function scratch(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "stockproof-shrink-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Loads a written scenario file as `stockproof run` would. */
export function loadWritten(path: string): Scenario {
  const loaded = parseScenario(readFileSync(path, "utf8"), path);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  return loaded.value;
}

/**
 * Runs a scenario `times` times against a shop with the test-control API, the way shrink and
 * audit run it, and counts the runs in which `klass` failed.
 */
export async function failuresIn(url: string, scenario: Scenario, klass: ClassId, times: number): Promise<number> {
  const run = auditRunner({
    target: url,
    adminKey: defaultAdminKey,
    setup: { kind: "admin" },
    observer: createStockObserver({ target: url, snapshotCommand: null, probe: false }),
    speed: 60,
  });
  let failed = 0;
  for (let i = 0; i < times; i++) if ((await judgeOnce(run, scenario, klass)).status === "fail") failed++;
  return failed;
}

/** The requests one run of the scenario sends. */
export const requestsOf = (scenario: Scenario) =>
  scenario.phases.reduce((n, p) => n + p.traffic.rounds, 0) *
  scenario.round.reduce((n, step) => n + step.cases.length, 0);

/**
 * `stockproof shrink` of a scenario against a shop with the test-control API, with what every
 * shrink that finds its failure must give: exit 1, a file naming the class, its rate and replay
 * command that fails again in at least 5 of 10 fresh runs, and the interleaving as text and HTML.
 */
export async function shrinkToFile(url: string, dir: string, scenario: string, klass: ClassId, budget: string) {
  const out = join(dir, "repro.yaml");
  const html = join(dir, "shrink.html");
  const started = performance.now();
  const result = await cli(["shrink", scenario, "--target", url, "--out", out, "--html", html, "--budget", budget]);
  const ms = performance.now() - started;
  expect(result.stderr).toMatch(/kept when it fails in 3 of 5 runs/);
  expect(result.code, result.stdout + result.stderr).toBe(1);
  expect(result.stdout).toMatch(/^SHRUNK: "[^"]+" from \d+ requests? to \d+ requests?/);
  const written = loadWritten(out);
  const text = readFileSync(out, "utf8");
  expect(text).toMatch(new RegExp(`^# Reproduces "[^"]+" \\(audit class ${klass}\\) against ${url}:`));
  expect(text).toMatch(/^# fails in \d+ of 10 runs/m);
  expect(text).toContain(`# Replay: stockproof run ${out} --target ${url}`);
  // The written file fails the same class again, in at least half of ten fresh runs.
  const failed = await failuresIn(url, written, klass, 10);
  expect(failed).toBeGreaterThanOrEqual(5);
  // The interleaving: every request with its send and answer times, and the stock per SKU.
  expect(result.stdout).toMatch(/The failing interleaving/);
  expect(result.stdout).toMatch(/SKU \d+: stock before \d+, after -?\d+ \(expected from the answers/);
  const page = readFileSync(html, "utf8");
  expect(page).toContain("timeline of the failing requests");
  expect((page.match(/<rect /g) ?? []).length).toBe(requestsOf(written));
  // The figures of the closing note: what it shrank to, how often the file fails, how long it took.
  const searched =
    result.stdout
      .split("\n")
      .find((l) => l.includes("candidates tried"))
      ?.trim() ?? "";
  console.log(
    `${scenario} → ${requestsOf(written)} requests; ${failed} of 10 reruns failed; ${(ms / 1000).toFixed(1)} s; ${searched}`,
  );
  return { written, stdout: result.stdout };
}
