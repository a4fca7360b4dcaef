#!/usr/bin/env node
// npm run bench — the reference against this machine's ceiling, Prism's mock, and the runner against autocannon.
// Everything on loopback; medians of REPEATS runs; prints a table and writes bench/results/<timestamp>.json.
// Every server row is driven by the same request stream — the reservation's path with a unique
// paymentOrderId and a bearer token — so that the ratios compare servers, not load generators.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import {
  cannon,
  connections,
  fromCannon,
  measureInterleaved,
  median,
  repeats,
  reservePath,
  seconds,
  standInAuth,
  want,
  warmCannon,
  withServer,
} from "./harness.mjs";
import { pacedLoad } from "./runner-loads.mjs";
import { startCeiling, startHonoTrivial, startPrism, startReference } from "./servers.mjs";

const soakSeconds = Number(process.env.BENCH_SOAK_SECONDS ?? 60);
/** Steady offered rates (requests per second) at which latency is measured. */
const steadyRates = (process.env.BENCH_RATES ?? "1000,2000,4000").split(",").map(Number);

async function json(url, init) {
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json() };
}

async function login(base) {
  const { body } = await json(`${base}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=password&username=buyer%40example.com&password=buyer-password&client_id=clientapp&client_secret=secret",
  });
  return body.access_token;
}

const admin = { "x-admin-key": "stockproof-admin" };

async function prepareReference(base) {
  await json(`${base}/__admin/stock`, {
    method: "PUT",
    headers: { ...admin, "content-type": "application/json" },
    body: JSON.stringify({ items: [{ productStockId: 311191, quantity: 1_000_000_000 }] }),
  });
  return { authorization: `Bearer ${await login(base)}` };
}

/**
 * Checks the invariant and that every 200 is a hold on disk. autocannon stops counting when its
 * duration ends, so up to one request per connection may be held without having been counted —
 * in the warm-up run and in the measured run, hence two per connection.
 */
async function checkReference(base, acknowledged) {
  const { body } = await json(`${base}/__admin/snapshot`, { headers: admin });
  const sku = body.skus.find((s) => s.productStockId === 311191);
  const consistent = body.invariantHolds && sku.held >= acknowledged && sku.held <= acknowledged + 2 * connections;
  return { invariantHolds: body.invariantHolds, held: sku.held, acknowledged, consistent };
}

function rssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

/** A reference row: a fresh SQLite file per sample; after each, the invariant and every 200 on disk are checked. */
function referenceSpec(key, name, dir, extra, checks) {
  return {
    key,
    name,
    sample: (i) =>
      withServer(
        () => startReference(join(dir, `${key}-${i}.db`), extra),
        async (server) => {
          const headers = await prepareReference(server.url);
          await cannon(server.url, headers, { duration: 1, unique: true }); // warm-up
          const before = await checkReference(server.url, 0);
          const result = fromCannon(await cannon(server.url, headers, { unique: true }));
          checks.push(await checkReference(server.url, before.held + result.ok));
          return result;
        },
      ),
  };
}

async function soak() {
  const dir = mkdtempSync(join(tmpdir(), "stockproof-soak-"));
  const server = await startReference(join(dir, "soak.db"));
  try {
    const headers = await prepareReference(server.url);
    const samples = [];
    const timer = setInterval(() => samples.push(rssKiB(server.pid)), 1000);
    const result = fromCannon(await cannon(server.url, headers, { duration: soakSeconds, unique: true }));
    clearInterval(timer);
    // The settled part (after the first tenth), compared with its own start. Start and end are
    // medians of five samples, so one sample taken mid-collection does not decide the trend; the
    // peak is reported as it is.
    const settled = samples.slice(Math.max(1, Math.floor(samples.length / 10)));
    const middle = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const first = middle(settled.slice(0, 5));
    const last = middle(settled.slice(-5));
    const max = Math.max(...settled);
    const check = await checkReference(server.url, result.ok);
    return {
      seconds: soakSeconds,
      rps: result.rps,
      rssStartKiB: first,
      rssMaxKiB: max,
      rssEndKiB: last,
      growth: (last - first) / first,
      peakGrowth: (max - first) / first,
      rssSamplesKiB: samples,
      invariant: check,
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
console.log(`stockproof bench on ${machine}; ${connections} connections, median of ${repeats}`);

const bodyBytes = 330; // about the size of a one-line reservation response
const rows = {};

const dir = mkdtempSync(join(tmpdir(), "stockproof-bench-"));
const checks = { reference: [], referencePlain: [], workers: [] };
const throughputSpecs = [
  want("ceiling") && {
    key: "ceiling",
    name: "bare node:http ceiling",
    sample: () =>
      withServer(
        () => startCeiling(bodyBytes),
        (server) => warmCannon(server.url, standInAuth, true),
      ),
  },
  // For reference only: one fixed request without a token costs autocannon less per request.
  want("ceiling") && {
    key: "ceilingFixed",
    name: "bare node:http, one fixed request (cheaper load)",
    sample: () =>
      withServer(
        () => startCeiling(bodyBytes),
        (server) => warmCannon(server.url, {}, false),
      ),
  },
  want("hono") && {
    key: "hono",
    name: "Hono on node-server, constant body (framework ceiling)",
    sample: () =>
      withServer(
        () => startHonoTrivial(bodyBytes),
        (server) => warmCannon(server.url, standInAuth, true),
      ),
  },
  want("reference") && referenceSpec("reference", "reference (group commit)", dir, [], checks.reference),
  want("reference-plain") &&
    referenceSpec(
      "referencePlain",
      "reference (one transaction per request)",
      dir,
      ["--no-group-commit"],
      checks.referencePlain,
    ),
  want("workers") && referenceSpec("workers", "reference --workers 2", dir, ["--workers", "2"], checks.workers),
  want("prism") && {
    key: "prism",
    name: "prism mock",
    sample: (i) =>
      withServer(
        () => startPrism(40_000 + ((process.pid + i) % 20_000)),
        (server) => warmCannon(server.url, standInAuth, true),
      ),
  },
].filter(Boolean);
try {
  Object.assign(rows, await measureInterleaved(throughputSpecs));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
for (const [key, list] of Object.entries(checks)) if (rows[key]) rows[key].checks = list;

// Latency at steady offered rates: a fresh server per sample, warmed for a second, then `pacedLoad`.
function steadySpec(key, name, rate, start, prepare) {
  return {
    key,
    name: `${name} at a steady ${rate} rps`,
    sample: () =>
      withServer(start, async (server) => {
        const headers = await prepare(server.url);
        await cannon(server.url, headers, { duration: 1, unique: true }); // warm-up
        return pacedLoad({
          url: server.url,
          rate,
          seconds,
          connections,
          request: () => ({ path: reservePath(), headers }),
        });
      }),
  };
}
if (want("steady")) {
  const steadyDir = mkdtempSync(join(tmpdir(), "stockproof-steady-"));
  let file = 0;
  try {
    const specs = steadyRates.flatMap((rate) => [
      steadySpec(
        `ceilingSteady${rate}`,
        "bare node:http ceiling",
        rate,
        () => startCeiling(bodyBytes),
        async () => standInAuth,
      ),
      steadySpec(
        `referenceSteady${rate}`,
        "reference",
        rate,
        () => startReference(join(steadyDir, `steady-${file++}.db`)),
        prepareReference,
      ),
      // The same with SQLite's automatic checkpoint inside commits: what the background thread saves.
      steadySpec(
        `referenceSteadyInlineCheckpoint${rate}`,
        "reference, checkpoint inside commits,",
        rate,
        () => startReference(join(steadyDir, `steady-${file++}.db`), ["--no-background-checkpoint"]),
        prepareReference,
      ),
    ]);
    Object.assign(rows, await measureInterleaved(specs));
  } finally {
    rmSync(steadyDir, { recursive: true, force: true });
  }
}

let soakResult;
if (want("soak")) {
  console.log(`  soak: ${soakSeconds}s sustained load on the reference, sampling RSS each second`);
  soakResult = await soak();
  console.log(
    `  soak: ${soakResult.rps.toFixed(0)} rps; RSS ${(soakResult.rssStartKiB / 1024).toFixed(1)} → ${(soakResult.rssEndKiB / 1024).toFixed(1)} MiB (${(soakResult.growth * 100).toFixed(1)}%), peak ${(soakResult.rssMaxKiB / 1024).toFixed(1)} MiB (${(soakResult.peakGrowth * 100).toFixed(1)}%)`,
  );
}

const extraRows = await import("./runner-bench.mjs")
  .then((m) => m.runnerRows(bodyBytes))
  .catch((error) => {
    console.log(`  runner rows skipped: ${error.message}`);
    return {};
  });
Object.assign(rows, extraRows);

// The send spread of a 1 000-reservation burst, and how many requests the reference handled at once.
if (want("burst")) rows.burstSpread = await (await import("./burst-spread.mjs")).burstSpread();

// The checker on merged histories of 10 000 / 100 000 / 1 000 000 requests: time and peak RSS.
if (want("checker"))
  rows.checkerScale = { name: "checker scale", sizes: (await import("./checker-scale.mjs")).default };

// Ratios are taken within each repetition (the rows of one repetition ran minutes apart at most),
// then the median of those is reported with every repetition's value.
const ratio = (a, b) => {
  if (!a || !b) return undefined;
  const each = a.samples.map((sample, i) => sample.rps / b.samples[i].rps);
  return { median: median(each), each };
};
const ratios = {
  "reference / ceiling": ratio(rows.reference, rows.ceiling),
  "reference / fixed-request ceiling": ratio(rows.reference, rows.ceilingFixed),
  "hono constant / ceiling": ratio(rows.hono, rows.ceiling),
  "reference / hono constant": ratio(rows.reference, rows.hono),
  "reference plain / ceiling": ratio(rows.referencePlain, rows.ceiling),
  "workers 2 / ceiling": ratio(rows.workers, rows.ceiling),
  "reference / prism": ratio(rows.reference, rows.prism),
  "runner / autocannon": ratio(rows.runner, rows.autocannon),
};

console.log("\n| measurement | rps | p50 ms | p99 ms | max ms | errors |\n|---|---:|---:|---:|---:|---:|");
for (const row of Object.values(rows)) {
  if (row?.rps !== undefined)
    console.log(`| ${row.name} | ${row.rps.toFixed(0)} | ${row.p50} | ${row.p99} | ${row.max} | ${row.errors} |`);
}
if (rows.seed32)
  console.log(
    `| ${rows.seed32.name} | wall ${rows.seed32.wallMs.toFixed(0)} ms for ${rows.seed32.calls} calls | | | ${rows.seed32.errors} |`,
  );
const percent = (value) => `${(value * 100).toFixed(0)}%`;
console.log("\n| ratio | median | each repetition |\n|---|---:|---|");
for (const [name, value] of Object.entries(ratios))
  if (value !== undefined)
    console.log(`| ${name} | ${percent(value.median)} | ${value.each.map(percent).join(", ")} |`);
if (soakResult)
  console.log(
    `\nRSS over ${soakSeconds}s: ${(soakResult.growth * 100).toFixed(1)}% from the settled start to the end, peak ${(soakResult.peakGrowth * 100).toFixed(1)}%; invariant ${soakResult.invariant.consistent ? "kept" : "BROKEN"}`,
  );
if (rows.burstSpread) {
  const { spreadMs, wireCpuMs, referencePeak, runnerPeak, bursts, burstSize } = rows.burstSpread;
  console.log(
    `\nSend spread of a ${burstSize}-reservation burst over ${bursts} bursts: p50 ${spreadMs.p50.toFixed(1)} ms, p90 ${spreadMs.p90.toFixed(1)} ms, max ${spreadMs.max.toFixed(1)} ms (the runner's CPU time over it p50 ${wireCpuMs.p50.toFixed(1)} ms); in flight at the reference p50 ${referencePeak.lower.p50}–${referencePeak.upper.p50} (max ${referencePeak.lower.max}–${referencePeak.upper.max}), at the runner p50 ${runnerPeak.p50}`,
  );
}
for (const row of [rows.reference, rows.referencePlain, rows.workers]) {
  if (row?.checks)
    console.log(`${row.name}: every 200 on disk and invariant kept: ${row.checks.every((c) => c.consistent)}`);
}

const file = new URL(`results/${new Date().toISOString().replaceAll(":", "-")}.json`, import.meta.url);
writeFileSync(
  file,
  `${JSON.stringify({ machine, connections, repeats, seconds, rows, ratios, soak: soakResult }, null, 2)}\n`,
);
console.log(`\nwritten ${file.pathname}`);
