// Latency at a fixed offered rate: requests leave on a uniform schedule whether or not earlier ones
// have been answered, and each latency counts from the request's scheduled time, so a stalled server
// is charged for the requests it kept waiting (no coordinated omission). autocannon's overallRate
// fires each second's quota back to back, which measures bursts, not a steady rate.
import { createTargetClient } from "../dist/scenario/client.js";

/**
 * Sends `rate` requests per second for `seconds` over at most `connections` sockets.
 * `request(i)` gives the i-th request's path and headers.
 */
export async function pacedLoad({ url, rate, seconds, connections, request }) {
  const controller = new AbortController();
  const epoch = performance.now();
  const client = createTargetClient({
    baseUrl: url,
    connections,
    requestTimeoutMs: 10_000,
    signal: controller.signal,
    epoch,
  });
  await client.warm(connections);
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
  latencies.sort();
  const at = (q) => Number(latencies[Math.min(total - 1, Math.floor(q * total))].toFixed(1));
  return { rps: total / elapsed, offered: rate, p50: at(0.5), p99: at(0.99), max: at(1), ok: total - errors, errors };
}
