import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClassId } from "../../src/audit/classes.js";
import { createStockObserver } from "../../src/audit/stock-observer.js";
import { parseScenario } from "../../src/scenario/load.js";
import type { Scenario } from "../../src/scenario/types.js";
import { auditRunner, judgeOnce } from "../../src/shrink/judge.js";

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
    adminKey: "stockproof-admin",
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
