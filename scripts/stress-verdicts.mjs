#!/usr/bin/env node
/*
 * Verdicts on a busy machine: runs the verdict-bearing suites (audits and runs against broken and
 * correct shops) N times with CPU-burning processes beside them, then prints a table per run and
 * the tests that failed, with how often. A verdict that flips only when the machine is busy is a
 * verdict a team cannot stake a release on, so this is the test of the verdicts' power, not of speed.
 *
 *   node scripts/stress-verdicts.mjs [--runs N] [--burners N] [--out DIR] [test files…]
 *   (npm run test:verdicts:stress -- --runs 3)
 *
 * Defaults: 10 runs (or STOCKPROOF_STRESS_RUNS), 2 burners (or STOCKPROOF_STRESS_BURNERS), the files
 * listed in VERDICT_SUITES. Exit 0 when every run passed, 1 otherwise. Each run's vitest output and
 * JSON report stay in DIR (default reports/verdict-stress/<time>/) for the failures' messages.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

/** Every suite whose tests assert a verdict reached by really running or auditing a shop. */
export const VERDICT_SUITES = [
  "test/audit",
  "test/scenario/faulty.test.ts",
  "test/scenario/expiry-windows.test.ts",
  "test/scenario/runner.test.ts",
  "test/scenario/cli.test.ts",
  "test/scenario/builtins.test.ts",
  "test/scenario/connection-limit.test.ts",
  "test/scenario/html-render.test.ts",
  "test/history/expiry-check.test.ts",
  "test/history/stock-not-read.test.ts",
  "test/history/shards.test.ts",
  "test/history/audit-shards.test.ts",
  "test/concurrency",
  "test/cli/verdicts.test.ts",
];

const root = resolve(import.meta.dirname, "..");
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: "string", default: process.env.STOCKPROOF_STRESS_RUNS ?? "10" },
    burners: { type: "string", default: process.env.STOCKPROOF_STRESS_BURNERS ?? "2" },
    out: { type: "string" },
  },
});
const runs = positiveInt(values.runs, "--runs");
const burnerCount = nonNegativeInt(values.burners, "--burners");
const suites = positionals.length > 0 ? positionals : VERDICT_SUITES;
const outDir = resolve(
  values.out ?? join(root, "reports", "verdict-stress", new Date().toISOString().replace(/[:.]/g, "-")),
);
mkdirSync(outDir, { recursive: true });

function positiveInt(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`${name} must be a whole number ≥ 1, got "${text}"`);
  return n;
}
function nonNegativeInt(text, name) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) fail(`${name} must be a whole number ≥ 0, got "${text}"`);
  return n;
}
function fail(message) {
  process.stderr.write(`stress-verdicts: ${message}\n`);
  process.exit(2);
}

/*
 * A burner spins one core. It polls its parent every few million turns and exits when the parent is
 * gone, so even a SIGKILLed script leaves no burner behind (the exit handler below covers the rest).
 */
const burnerSource = `const parent = ${process.pid}; let n = 0;
for (;;) { if (++n % 5e6 === 0) { try { process.kill(parent, 0); } catch { process.exit(0); } } }`;
const burners = [];
function startBurners() {
  for (let i = 0; i < burnerCount; i++) {
    burners.push(spawn(process.execPath, ["-e", burnerSource], { stdio: "ignore" }));
  }
}
let current; // the vitest child under way, stopped with the burners on Ctrl-C
function stopAll() {
  for (const burner of burners) if (burner.exitCode === null) burner.kill("SIGKILL");
  if (current && current.exitCode === null) current.kill("SIGTERM");
}
process.on("exit", stopAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopAll();
    process.stderr.write(`\nstress-verdicts: stopped by ${signal}; burners killed\n`);
    process.exit(130);
  });
}

const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
/** One run of the suites; resolves with its figures read from vitest's JSON report. */
function runOnce(index) {
  const json = join(outDir, `run-${index}.json`);
  const log = join(outDir, `run-${index}.log`);
  const args = [vitest, "run", ...suites, "--reporter=dot", "--reporter=json", `--outputFile.json=${json}`];
  const started = Date.now();
  const load = loadavg()[0];
  return new Promise((done) => {
    const chunks = [];
    current = spawn(process.execPath, args, { cwd: root, env: { ...process.env, CI: "1" } });
    current.stdout.on("data", (chunk) => chunks.push(chunk));
    current.stderr.on("data", (chunk) => chunks.push(chunk));
    current.on("close", (code) => {
      writeFileSync(log, Buffer.concat(chunks));
      const seconds = (Date.now() - started) / 1000;
      const failed = [];
      let passed = 0;
      let total = 0;
      try {
        const report = JSON.parse(readFileSync(json, "utf8"));
        for (const file of report.testResults) {
          const name = file.name.slice(root.length + 1);
          if (file.status === "failed" && file.assertionResults.every((t) => t.status !== "failed")) {
            failed.push(`${name} (file failed: ${firstLine(file.message)})`);
          }
          for (const test of file.assertionResults) {
            total++;
            if (test.status === "passed") passed++;
            if (test.status === "failed") failed.push(`${name} > ${test.fullName}`);
          }
        }
      } catch (error) {
        failed.push(`no JSON report (${firstLine(String(error))}); see ${log}`);
      }
      done({ index, code, seconds, load, passed, total, failed });
    });
  });
}
function firstLine(text) {
  return String(text ?? "")
    .split("\n")[0]
    .slice(0, 160);
}

console.log(`stress-verdicts: ${runs} run(s), ${burnerCount} CPU burner(s), output in ${outDir}`);
console.log(`suites: ${suites.join(" ")}\n`);
startBurners();
const results = [];
console.log("run  result  tests      time    load(1m)  failed tests");
for (let i = 1; i <= runs; i++) {
  const r = await runOnce(i);
  results.push(r);
  const ok = r.code === 0 && r.failed.length === 0;
  console.log(
    `${String(i).padStart(3)}  ${ok ? "PASS  " : "FAIL  "}  ${`${r.passed}/${r.total}`.padEnd(9)}  ${`${r.seconds.toFixed(0)} s`.padStart(6)}  ${r.load.toFixed(1).padStart(8)}  ${r.failed.length === 0 ? "" : r.failed.length}`,
  );
  for (const name of r.failed) console.log(`       ✗ ${name}`);
}
stopAll();

const passedRuns = results.filter((r) => r.code === 0 && r.failed.length === 0).length;
const counts = new Map();
for (const r of results) for (const name of r.failed) counts.set(name, (counts.get(name) ?? 0) + 1);
const times = results.map((r) => r.seconds).sort((a, b) => a - b);
console.log(
  `\n${passedRuns} of ${runs} runs passed; time per run min ${times[0].toFixed(0)} s, median ${times[Math.floor(times.length / 2)].toFixed(0)} s, max ${times.at(-1).toFixed(0)} s`,
);
if (counts.size > 0) {
  console.log("failing tests (runs failed / runs):");
  for (const [name, n] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${n}/${runs}  ${name}`);
}
writeFileSync(
  join(outDir, "summary.json"),
  `${JSON.stringify({ runs, burners: burnerCount, suites, results }, null, 2)}\n`,
);
process.exitCode = passedRuns === runs ? 0 : 1;
