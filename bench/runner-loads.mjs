// Loads driven by the stockproof runner's own HTTP client: a closed loop like autocannon's, and a
// steady offered rate. The steady load sends on a uniform schedule whether or not earlier requests
// have been answered, and counts each latency from the request's scheduled time, so a stalled server
// is charged for the requests it kept waiting (no coordinated omission). autocannon's overallRate
// fires each second's quota back to back, which measures bursts, not a steady rate.
import { createTargetClient } from "../dist/verify/scenario/client.js";

/** A client with `connections` sockets already open. */
async function openClient(url, connections) {
  const client = createTargetClient({
    baseUrl: url,
    connections,
    requestTimeoutMs: 10_000,
    signal: new AbortController().signal,
    epoch: performance.now(),
  });
  await client.warm(connections);
  return client;
}

/** p50, p99 and max of latencies (ms), sorted here. */
function percentiles(latencies, digits) {
  latencies.sort((a, b) => a - b);
  const at = (q) => Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(digits));
  return { p50: at(0.5), p99: at(0.99), max: at(1) };
}

/** Each of `connections` lanes sends `path` again as soon as its last request ends, for `seconds`. */
export async function closedLoad({ url, connections, seconds, path }) {
  const client = await openClient(url, connections);
  const latencies = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const exchange = await client.send("GET", path, {});
        if (exchange.status !== 200) errors++;
        latencies.push(exchange.endedAt - exchange.sentAt);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await client.close();
  return { rps: latencies.length / elapsed, ...percentiles(latencies, 0), errors };
}

/**
 * Sends `rate` requests per second for `seconds` over at most `connections` sockets.
 * `request(i)` gives the i-th request's path and headers.
 */
export async function pacedLoad({ url, rate, seconds, connections, request }) {
  const client = await openClient(url, connections);
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies = new Float64Array(total);
  let errors = 0;
  let sent = 0;
  const pending = [];
  const start = performance.now();
  await new Promise((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      for (; sent < due; sent++) {
        const index = sent;
        const scheduled = start + index * interval;
        const { path, headers } = request(index);
        pending.push(
          client.send("GET", path, headers).then((exchange) => {
            if (exchange.status !== 200) errors++;
            latencies[index] = performance.now() - scheduled;
          }),
        );
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  await client.close();
  return { rps: total / elapsed, offered: rate, ...percentiles(latencies, 1), ok: total - errors, errors };
}
