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
  const run = await runScenario(scenario, { target: base, adminKey });
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
  return { spreadMs, sent: sent.length, ok, runnerPeak, journalled: reserves.length, lower, upper, arrivalSpreadMs };
}

/** BURSTS bursts (after one unmeasured warm-up burst) against one reference: the spread and in-flight figures. */
export async function burstSpread() {
  const root = new URL("../", import.meta.url);
  // BENCH_DIST: another build of the package (e.g. an earlier commit's) to compare under the same load.
  const dist = process.env.BENCH_DIST ?? "dist";
  const { parseScenario, runScenario } = await import(new URL(`${dist}/scenario/index.js`, root));
  const parsed = parseScenario(scenarioText, "bench/burst-spread.mjs");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  const dir = mkdtempSync(join(tmpdir(), "stockproof-burst-"));
  const server = await startReference(join(dir, "burst.db"));
  try {
    await oneBurst(runScenario, parsed.value, server.url); // warm-up: JIT and the server's first commits
    const samples = [];
    for (let i = 0; i < bursts; i++) {
      const sample = await oneBurst(runScenario, parsed.value, server.url);
      samples.push(sample);
      console.log(
        `  [${i + 1}/${bursts}] burst of ${burstSize}: send spread ${sample.spreadMs.toFixed(1)} ms; in flight at the runner ${sample.runnerPeak}, at the reference ${sample.lower}–${sample.upper} (arrivals over ${sample.arrivalSpreadMs} ms); ${sample.ok}/${sample.sent} ok`,
      );
    }
    const spreads = samples.map((s) => s.spreadMs);
    const summary = {
      name: `send spread of a ${burstSize}-reservation burst (reference)`,
      bursts,
      burstSize,
      spreadMs: { p50: percentile(spreads, 50), p90: percentile(spreads, 90), max: Math.max(...spreads) },
      runnerPeak: {
        p50: percentile(
          samples.map((s) => s.runnerPeak),
          50,
        ),
        max: Math.max(...samples.map((s) => s.runnerPeak)),
      },
      referencePeak: {
        lower: {
          p50: percentile(
            samples.map((s) => s.lower),
            50,
          ),
          max: Math.max(...samples.map((s) => s.lower)),
        },
        upper: {
          p50: percentile(
            samples.map((s) => s.upper),
            50,
          ),
          max: Math.max(...samples.map((s) => s.upper)),
        },
      },
      arrivalSpreadMs: {
        p50: percentile(
          samples.map((s) => s.arrivalSpreadMs),
          50,
        ),
      },
      samples,
    };
    const { p50, p90, max } = summary.spreadMs;
    console.log(
      `  burst spread: p50 ${p50.toFixed(1)} ms, p90 ${p90.toFixed(1)} ms, max ${max.toFixed(1)} ms over ${bursts} bursts of ${burstSize}; in flight at the reference p50 ${summary.referencePeak.lower.p50}–${summary.referencePeak.upper.p50}, max ${summary.referencePeak.lower.max}–${summary.referencePeak.upper.max}; at the runner p50 ${summary.runnerPeak.p50}`,
    );
    return summary;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await burstSpread();
