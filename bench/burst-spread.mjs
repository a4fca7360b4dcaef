// The send spread of a 1 000-reservation burst: how close together the scenario runner puts the
// requests of one burst on the wire, and how many of them the reference was handling at once.
// A burst whose requests leave over 50 ms tests a race far less than one whose requests leave in 5.
//
// The runner (dist, as the CLI runs it) drives a burst of BURST single-unit reservations, released
// at once, against the reference server in its own process on loopback. Per burst:
// - send spread: last sentAt − first sentAt, the runner's own observations (what a history records);
// - in flight at the runner: the peak number of [sentAt, endedAt] intervals overlapping;
// - in flight at the reference: the peak overlap of the reference's own request journal
//   (GET /__admin/requests: when each request arrived and how long it took), so it counts what the
//   server was handling, not what the runner had sent. The journal's `at` has a 1 ms clock, so the
//   peak is given as a range: the lower bound counts a request from 1 ms after its `at`, the upper
//   from its `at`, each until its `at` + durationMs (+ 1 ms for the upper).
import { mkdtempSync, rmSync } from "node:fs";
import { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startReference } from "./servers.mjs";

export const burstSize = Number(process.env.BENCH_BURST ?? 1000);
export const bursts = Number(process.env.BENCH_BURSTS ?? 10);
const adminKey = "stockproof-admin";

const scenarioText = `
name: burst-${burstSize}
description: ${burstSize} single-unit reservations released at once.
given:
  skus:
    - { productStockId: 311191, productId: 219622, productName: BENCH, color: BLACK, size: L, salePrice: 3000, stock: ${burstSize} }
  stock: admin
  users:
    - { name: buyer, username: buyer@example.com, password: buyer-password, userId: 144602 }
  client: { id: clientapp, secret: secret }
  request: { storeId: itsdcode, merchantId: itsdcode, amount: auto, timestamp: today, customData: { shape: seed, lines: productStockList } }
  phases:
    - name: burst
      traffic: { shape: burst, rounds: ${burstSize} }
  limits: { requestTimeout: 30s, runTimeout: 2m }
when:
  - name: reserve
    reserve: [{ sku: 311191, count: 1 }]
then:
  counts: model
`;

// The wire spread, measured the same way whatever the runner records: each time a reservation's
// bytes are handed from a socket to the kernel (net.Socket's write to its handle, corked or not),
// in this process. The runner's sentAt should fall at or before these instants.
const handedOff = [];
const writeGeneric = Socket.prototype._writeGeneric;
Socket.prototype._writeGeneric = function (writev, data, encoding, callback) {
  const first = writev ? data[0]?.chunk : data;
  if (String(first).startsWith("GET /orders/payment/choice")) {
    const { user, system } = process.cpuUsage();
    handedOff.push({ at: performance.now(), cpuMs: (user + system) / 1000 });
  }
  return writeGeneric.call(this, writev, data, encoding, callback);
};

/** The largest number of [start, end) intervals open together. */
export function peakOverlap(intervals) {
  const events = [];
  for (const [start, end] of intervals) {
    events.push([start, 1], [Math.max(start, end), -1]);
  }
  // Ends before starts at the same instant: touching intervals do not overlap.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let peak = 0;
  for (const [, delta] of events) {
    open += delta;
    peak = Math.max(peak, open);
  }
  return peak;
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function journal(base) {
  const response = await fetch(`${base}/__admin/requests`, { headers: { "x-admin-key": adminKey } });
  if (!response.ok) throw new Error(`GET /__admin/requests answered ${response.status}`);
  return response.json();
}

async function oneBurst(runScenario, scenario, base) {
  handedOff.length = 0;
  const run = await runScenario(scenario, { target: base, adminKey });
  // The runner's own CPU time between the first and the last hand-off: the wire spread it would
  // reach with a core to itself (on a shared machine the wall time also counts its waits for one).
  const wireSpreadMs = (handedOff.at(-1)?.at ?? 0) - (handedOff[0]?.at ?? 0);
  const wireCpuMs = (handedOff.at(-1)?.cpuMs ?? 0) - (handedOff[0]?.cpuMs ?? 0);
  const handed = handedOff.length;
  if (run.setupError !== null) throw new Error(run.setupError);
  const observations = run.phases[0]?.observations ?? [];
  const sent = observations.filter((o) => o.sentAt !== null);
  const sentAts = sent.map((o) => o.sentAt);
  const ok = sent.filter((o) => o.klass === "ok").length;
  const spreadMs = Math.max(...sentAts) - Math.min(...sentAts);
  const runnerPeak = peakOverlap(sent.map((o) => [o.sentAt, o.endedAt]));
  // This burst's reservations: the journal keeps the last 1 000 requests, and the burst's are the last.
  const { requests } = await journal(base);
  const reserves = requests.filter((r) => r.operationId === "reserveStock").slice(-sent.length);
  const arrivals = reserves.map((r) => Date.parse(r.at));
  const lower = peakOverlap(reserves.map((r, i) => [arrivals[i] + 1, arrivals[i] + r.durationMs]));
  const upper = peakOverlap(reserves.map((r, i) => [arrivals[i], arrivals[i] + r.durationMs + 1]));
  const arrivalSpreadMs = Math.max(...arrivals) - Math.min(...arrivals);
  return {
    spreadMs,
    wireSpreadMs,
    wireCpuMs,
    handed,
    sent: sent.length,
    ok,
    runnerPeak,
    journalled: reserves.length,
    lower,
    upper,
    arrivalSpreadMs,
  };
}

function summarize(build, samples) {
  const figures = (key) => samples.map((s) => s[key]);
  const spreads = figures("spreadMs");
  return {
    name: `send spread of a ${burstSize}-reservation burst (reference)`,
    build,
    bursts: samples.length,
    burstSize,
    spreadMs: { p50: percentile(spreads, 50), p90: percentile(spreads, 90), max: Math.max(...spreads) },
    wireCpuMs: { p50: percentile(figures("wireCpuMs"), 50), max: Math.max(...figures("wireCpuMs")) },
    wireSpreadMs: {
      p50: percentile(figures("wireSpreadMs"), 50),
      p90: percentile(figures("wireSpreadMs"), 90),
      max: Math.max(...figures("wireSpreadMs")),
    },
    runnerPeak: { p50: percentile(figures("runnerPeak"), 50), max: Math.max(...figures("runnerPeak")) },
    referencePeak: {
      lower: { p50: percentile(figures("lower"), 50), max: Math.max(...figures("lower")) },
      upper: { p50: percentile(figures("upper"), 50), max: Math.max(...figures("upper")) },
    },
    arrivalSpreadMs: { p50: percentile(figures("arrivalSpreadMs"), 50) },
    samples,
  };
}

/**
 * BURSTS bursts (after one unmeasured warm-up burst per build) against one reference: the spread
 * and in-flight figures. BENCH_DIST names the build(s) of the package to drive, comma-separated
 * (default dist): with several, e.g. an earlier commit's build copied to dist-before, their bursts
 * take turns, so that a busy minute on a shared machine weighs on each alike. Returns the first's.
 */
export async function burstSpread() {
  const root = new URL("../", import.meta.url);
  const builds = (process.env.BENCH_DIST ?? "dist").split(",");
  const runners = [];
  for (const build of builds) {
    const { parseScenario, runScenario } = await import(new URL(`${build}/verify/index.js`, root));
    const parsed = parseScenario(scenarioText, "bench/burst-spread.mjs");
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
    runners.push({ build, runScenario, scenario: parsed.value, samples: [] });
  }
  const dir = mkdtempSync(join(tmpdir(), "stockproof-burst-"));
  const server = await startReference(join(dir, "burst.db"));
  try {
    // Warm-up: JIT and the server's first commits.
    for (const runner of runners) await oneBurst(runner.runScenario, runner.scenario, server.url);
    for (let i = 0; i < bursts; i++) {
      for (const runner of runners) {
        const sample = await oneBurst(runner.runScenario, runner.scenario, server.url);
        runner.samples.push(sample);
        const which = runners.length > 1 ? ` ${runner.build}` : "";
        console.log(
          `  [${i + 1}/${bursts}]${which} burst of ${burstSize}: send spread ${sample.spreadMs.toFixed(1)} ms (on the wire ${sample.wireSpreadMs.toFixed(1)} ms, ${sample.handed} writes, ${sample.wireCpuMs.toFixed(1)} ms of CPU); in flight at the runner ${sample.runnerPeak}, at the reference ${sample.lower}–${sample.upper} (arrivals over ${sample.arrivalSpreadMs} ms); ${sample.ok}/${sample.sent} ok`,
        );
      }
    }
    const summaries = runners.map((runner) => summarize(runner.build, runner.samples));
    for (const summary of summaries) {
      const { p50, p90, max } = summary.spreadMs;
      const { lower, upper } = summary.referencePeak;
      console.log(
        `  burst spread (${summary.build}): p50 ${p50.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, max ${max.toFixed(1)} ms over ${bursts} bursts of ${burstSize} (on the wire p50 ${summary.wireSpreadMs.p50.toFixed(1)}, p90 ${summary.wireSpreadMs.p90.toFixed(1)}, max ${summary.wireSpreadMs.max.toFixed(1)} ms, CPU p50 ${summary.wireCpuMs.p50.toFixed(1)} ms); in flight at the reference p50 ${lower.p50}–${upper.p50}, max ${lower.max}–${upper.max}; at the runner p50 ${summary.runnerPeak.p50}`,
      );
    }
    return summaries[0];
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await burstSpread();
