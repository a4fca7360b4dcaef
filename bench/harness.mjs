// What every bench row shares: the settings from the environment, the reservation request, autocannon,
// and sampling rows in turn within each repetition.
import autocannon from "autocannon";

export const repeats = Number(process.env.BENCH_REPEATS ?? 3);
export const seconds = Number(process.env.BENCH_SECONDS ?? 5);
export const connections = 100;
const only = process.env.BENCH_ONLY?.split(",");
export const want = (name) => only === undefined || only.includes(name);

const customData = encodeURIComponent(
  JSON.stringify({ productInfoList: null, productStockList: [{ productStockId: 311191, orderCount: 1 }] }),
);
const runId = `${Date.now().toString(36)}${process.pid}`;
let sequence = 0;
export const reservePath = () =>
  `/orders/payment/choice?storeId=itsdcode&merchantId=itsdcode&amount=3000&timestamp=20261125&paymentOrderId=b${runId}_${sequence++}&customData=${customData}`;

// Servers that do not check tokens get one of a real access token's length (352 characters), so
// every request on the wire has the same size.
export const standInAuth = { authorization: `Bearer ${"x".repeat(352)}` };

export const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** autocannon at 100 connections: a unique reservation path per request, or one fixed `path`. */
export function cannon(url, headers, { duration = seconds, unique = false, path = reservePath() } = {}) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration,
        headers,
        requests: [
          {
            method: "GET",
            ...(unique ? { setupRequest: (req) => ({ ...req, path: reservePath() }) } : { path }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

function summarize(name, samples) {
  return {
    name,
    rps: median(samples.map((s) => s.rps)),
    p50: median(samples.map((s) => s.p50)),
    p99: median(samples.map((s) => s.p99)),
    max: median(samples.map((s) => s.max)),
    errors: samples.reduce((n, s) => n + s.errors, 0),
    samples,
  };
}

/**
 * Takes one sample of every row per repetition, the rows in turn, so that a noisy minute on a
 * shared machine weighs on all rows alike and a ratio can be taken within one repetition.
 * Each spec is { key, name, sample(i) } and starts and stops its own server.
 */
export async function measureInterleaved(specs) {
  const samples = new Map(specs.map((spec) => [spec.key, []]));
  for (let i = 0; i < repeats; i++) {
    for (const spec of specs) {
      const sample = await spec.sample(i);
      samples.get(spec.key).push(sample);
      console.log(
        `  [${i + 1}/${repeats}] ${spec.name}: ${sample.rps.toFixed(0)} rps, p50 ${sample.p50} ms, p99 ${sample.p99} ms`,
      );
    }
  }
  return Object.fromEntries(specs.map((spec) => [spec.key, summarize(spec.name, samples.get(spec.key))]));
}

/** A server started for one sample and stopped after it, whatever happens. */
export async function withServer(start, use) {
  const server = await start();
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

export const fromCannon = (result) => ({
  // Completed requests over the run's duration: the same measure as the runner's and the paced rows'.
  rps: result.requests.total / result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  max: result.latency.max,
  ok: result["2xx"],
  errors: result.errors + result.timeouts + result.non2xx,
});

/** One sample of autocannon after a second of the same load, so every server is measured warm. */
export async function warmCannon(url, headers, unique, path = reservePath()) {
  await cannon(url, headers, { duration: 1, unique, path });
  return fromCannon(await cannon(url, headers, { unique, path }));
}
