/** The timer that returns expired holds' stock while a server with a hold TTL is idle. */

/**
 * Writes sweep due holds lazily; this timer also returns their stock while no write comes. It
 * ticks every min(ttl, 1 s), never keeps the process alive, and returns its stop (a no-op when
 * there is no TTL).
 */
export function startIdleSweeper(sweep: () => void, holdTtlMs: number | null): () => void {
  if (holdTtlMs === null) return () => {};
  const timer = setInterval(
    () => {
      try {
        sweep();
      } catch {
        // A busy store is retried on the next tick; a write sweeps before it decides anyway.
      }
    },
    Math.min(holdTtlMs, 1000),
  ).unref();
  return () => clearInterval(timer);
}
