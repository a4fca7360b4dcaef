import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { History, ObservationRecord } from "../../src/verify/history/format.js";
import { mergeHistories } from "../../src/verify/history/merge.js";
import { htmlReport } from "../../src/verify/report/run/html.js";
import { jsonReport } from "../../src/verify/report/run/json.js";
import { terminalReport } from "../../src/verify/report/run/terminal.js";
import { writeReports } from "../../src/verify/report/run/write.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { parseScenario } from "../../src/verify/scenario/load.js";
import { tempDir } from "../helpers/reference.js";

const temp = tempDir("stockproof-large-");
afterAll(() => temp.remove());

// Past ~100 000 values, Math.max(...values) overflows the call stack: a history this size must
// still be judged and reported (histories from several generators reach millions of requests).
const rounds = 70_000;

const parsed = parseScenario(
  `name: large
given:
  skus: [{ productStockId: 7, stock: 1 }]
  users: [{ name: buyer, username: buyer@example.com, password: pw }]
  traffic: { shape: sequential, rounds: ${rounds} }
when:
  - { name: take, reserve: [{ sku: 7, count: 1 }] }
  - { name: drop, cancel: take }
`,
  "inline.yaml",
);
if (!parsed.ok) throw new Error("the scenario does not parse");
const scenario = parsed.value;

/** One unit taken and given back each round, one round every 10 ms; `lostRestore` answers 200 without giving it back. */
function history(lostRestore: number | null): { history: History; finalAvailable: number } {
  const observations: ObservationRecord[] = [];
  let available = 1;
  for (let r = 0; r < rounds; r++) {
    const id = `order-${r}`;
    const base = { t: "obs", ph: 0, r, id, u: "buyer@example.com", st: 200, o: "ok", kl: "ok" } as const;
    observations.push({ ...base, c: "take", k: "reserve", s: r * 10, e: r * 10 + 1 });
    available--;
    observations.push({ ...base, c: "drop", k: "cancel", s: r * 10 + 2, e: r * 10 + 3 });
    if (r !== lostRestore) available++;
  }
  const header: History["header"] = {
    t: "history",
    format: "stockproof-history",
    version: 1,
    scenario: "large",
    target: "http://127.0.0.1:1",
    runId: "large",
    shard: { index: 0, count: 1 },
    startedAt: "2026-01-01T00:00:00.000Z",
    epochWallMs: Date.parse("2026-01-01T00:00:00.000Z"),
    clock: { offsetMs: 0, uncertaintyMs: 0, source: "test" },
    startAt: null,
    speed: 1,
    source: "stockproof",
  };
  return { history: { file: "large.jsonl", header, observations, phases: [], end: null }, finalAvailable: available };
}

function judge(lostRestore: number | null) {
  const { history: h, finalAvailable } = history(lostRestore);
  const snapshot = {
    takenAt: 0,
    invariantHolds: true,
    skus: [{ productStockId: 7, available: finalAvailable, initial: 1, held: 0, paid: 0, invariantHolds: true }],
  };
  const merged = mergeHistories(scenario, [h], { finalStock: { snapshot, how: "stated" } });
  if (!merged.ok) throw new Error(merged.error);
  const result = merged.value.result;
  const verdict = checkRun(result);
  return { result, verdict, failed: verdict.checks.filter((c) => c.status === "fail").map((c) => c.id) };
}

describe(`a history of ${(2 * rounds).toLocaleString("en")} requests`, () => {
  it("is judged and reported: a correct history passes, in every report format", () => {
    const { result, verdict, failed } = judge(null);
    expect(verdict.requests).toBe(2 * rounds);
    expect(failed).toEqual([]);
    expect(verdict.verdict).toBe("pass");
    expect(terminalReport(result, verdict)).toContain("PASS");
    // The file is written a chunk at a time; it is the same report.
    const file = join(temp.dir, "large.json");
    writeReports({ json: file }, result, verdict);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(JSON.parse(JSON.stringify(jsonReport(result, verdict))));
    expect(htmlReport(result, verdict)).toContain("<svg");
  });

  it("still finds one restore lost among them", () => {
    const { failed } = judge(Math.floor(rounds / 2));
    expect(failed).toContain("conservation");
  });
});
