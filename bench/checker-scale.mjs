// Checker scale: judges a synthetic merged history of n requests (two shards' files, answers from
// a simulated correct server with injected faults) and reports time and peak memory, in a child
// process per size so each peak is its own. Run: npm run build && BENCH_ONLY=checker node bench/checker-scale.mjs
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const sizes = (process.env.CHECKER_SIZES ?? "10000,100000,1000000").split(",").map(Number);

const scenarioYaml = (rounds) => `name: checker-scale
given:
  skus: [{ productStockId: 1, stock: 400 }]
  users: [{ name: buyer, username: buyer@example.com, password: pw }]
  traffic: { shape: concurrency, concurrency: 160, rounds: ${rounds} }
when:
${[0, 1, 2, 3, 4].map((k) => `  - { name: take${k}, reserve: [{ sku: 1, count: 1 }] }\n  - { name: drop${k}, cancel: take${k} }`).join("\n")}
then:
  counts: model
  finalStock: model
`;

/**
 * Rounds start every 10 µs; a reserve takes 5 ms and its cancel 2 ms after it. Answers come from a
 * server that applies each request at its midpoint, except the injected faults: one in 100 000
 * requests answers 503 (indeterminate, though applied), and one order in 100 has its cancel answer 200
 * without restoring its unit (lost restores: more than the 503s, so the interval the
 * 503s leave conservation cannot hide them; conservation must find them at every size).
 */
async function writeShards(dir, rounds) {
  const events = [];
  // Five reserve-then-cancel pairs a round (the scenario format allows 100 000 rounds a phase).
  for (let u = 0; u < rounds * 5; u++) {
    const t = u * 0.01;
    events.push({ at: t + 2.5, u, r: Math.floor(u / 5), k: u % 5, kind: "reserve", s: t, e: t + 5 });
    events.push({ at: t + 7, u, r: Math.floor(u / 5), k: u % 5, kind: "cancel", s: t + 6, e: t + 8 });
  }
  events.sort((a, b) => a.at - b.at);
  let stock = 400;
  const held = new Uint8Array(rounds * 5);
  let seed = 7;
  const random = () => {
    seed = (seed * 48271) % 2147483647;
    return seed / 2147483647;
  };
  const files = [join(dir, "shard-0.jsonl"), join(dir, "shard-1.jsonl")];
  const outs = files.map((f) => createWriteStream(f));
  outs.forEach((out, index) => {
    out.write(
      `${JSON.stringify({ t: "history", format: "stockproof-history", version: 1, scenario: "checker-scale", target: "synthetic", runId: `s${index}`, shard: { index, count: 2 }, startedAt: new Date(0).toISOString(), epochWallMs: 0, clock: { offsetMs: 0, uncertaintyMs: 1, source: "synthetic" }, startAt: null, speed: 1, source: "stockproof" })}\n`,
    );
  });
  let faults = 0;
  let lost = 0;
  for (const ev of events) {
    let status = 200;
    let outcome = "ok";
    let klass = "ok";
    const fault = random() < 0.00001;
    if (ev.kind === "reserve") {
      if (stock > 0) {
        stock--;
        held[ev.u] = 1;
      } else {
        status = 409;
        outcome = "OUT_OF_STOCK";
        klass = "rejected";
      }
    } else if (held[ev.u] === 1) {
      if (ev.u % 100 === 50) lost++;
      else stock++;
      held[ev.u] = 0;
    } else {
      status = 404;
      outcome = "ORDER_NOT_FOUND";
      klass = "rejected";
    }
    if (fault) {
      faults++;
      status = 503;
      outcome = "HTTP_503";
      klass = "5xx";
    }
    const line = `${JSON.stringify({ t: "obs", ph: 0, r: ev.r, c: `${ev.kind === "reserve" ? "take" : "drop"}${ev.k}`, k: ev.kind, id: `o-${ev.u}`, u: "buyer@example.com", s: ev.s, e: ev.e, st: status, o: outcome, kl: klass })}\n`;
    const out = outs[ev.r % 2];
    if (!out.write(line)) await once(out, "drain");
  }
  // Each shard finished its run: the end record (a history without one was cut short).
  const end = `${JSON.stringify({ t: "end", wallMs: rounds * 5 * 0.01 + 10, timedOut: false, setupError: null, notes: [] })}\n`;
  await Promise.all(outs.map((out) => new Promise((resolve) => out.end(end, resolve))));
  return { files, finalStock: stock, faults, lost };
}

const child = `
import { loadHistories } from "./dist/verify/history/load.js";
import { mergeHistories } from "./dist/verify/history/merge.js";
import { loadScenario } from "./dist/verify/scenario/load.js";
import { checkRun } from "./dist/verify/scenario/check/index.js";
const [scenarioFile, finalStock, ...files] = process.argv.slice(2);
const started = performance.now();
const scenario = loadScenario(scenarioFile);
if (!scenario.ok) throw new Error(JSON.stringify(scenario.error));
// As \`check\` does: the records are garbage once merged.
const merge = async () => {
  const loaded = await loadHistories(files, scenario.value);
  return mergeHistories(scenario.value, loaded.value, { finalStock: { how: "stated", snapshot: { takenAt: 0, invariantHolds: true,
    skus: [{ productStockId: 1, available: Number(finalStock), initial: NaN, held: NaN, paid: NaN, invariantHolds: true }] } } });
};
const merged = await merge();
if (!merged.ok) throw new Error(merged.error);
const verdict = checkRun(merged.value.result);
const ms = performance.now() - started;
console.log(JSON.stringify({ ms, maxRssKiB: process.resourceUsage().maxRSS, requests: verdict.requests,
  failed: verdict.checks.filter((c) => c.status === "fail").map((c) => c.id), violations: verdict.violations.length }));
`;

const results = [];
for (const n of sizes) {
  const dir = mkdtempSync(join(tmpdir(), "checker-scale-"));
  try {
    const rounds = n / 10;
    const scenarioFile = join(dir, "scenario.yaml");
    writeFileSync(scenarioFile, scenarioYaml(rounds));
    const shards = await writeShards(dir, rounds);
    const childFile = join(dir, "child.mjs");
    writeFileSync(childFile, child.replaceAll("./dist/", new URL("../dist/", import.meta.url).href));
    const run = spawnSync(
      process.execPath,
      [
        ...(process.env.CHECKER_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.CHECKER_PROF}`] : []),
        "--max-old-space-size=4096",
        childFile,
        scenarioFile,
        String(shards.finalStock),
        ...shards.files,
      ],
      { cwd: new URL("../", import.meta.url), encoding: "utf8" },
    );
    if (run.status !== 0) throw new Error(run.stderr);
    const result = { n, faults: shards.faults, lost: shards.lost, ...JSON.parse(run.stdout) };
    results.push(result);
    console.log(
      `| checker ${n.toLocaleString("en")} requests | ${(result.ms / 1000).toFixed(1)} s | ${(result.maxRssKiB / 1024).toFixed(0)} MiB | ${result.faults} × 503, ${result.lost} lost restores injected | failed: ${result.failed.join(", ") || "none"} |`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
export default results;
