/**
 * Sleeps that end early once `signal` aborts. One abort listener serves them all: a listener a
 * sleep put one on the run's signal for every round waiting at once (30 rounds of `expiry`: Node's
 * MaxListenersExceededWarning), and each was a closure kept until its sleep ended.
 */
export function createPause(signal: AbortSignal): (ms: number) => Promise<void> | null {
  const waiting = new Set<() => void>();
  signal.addEventListener(
    "abort",
    () => {
      for (const wake of waiting) wake();
    },
    { once: true },
  );
  return (ms) => {
    if (ms <= 0) return null;
    if (signal.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiting.add(wake);
    });
  };
}

/**
 * Sleeps until `now()` reads `at`, or the pause's signal aborts. Node counts timers in whole
 * milliseconds, so a timer may wake up to 1 ms before a sub-millisecond clock says it is due: a
 * final read taken 0.6 ms before the last hold's release window closed let a server that never
 * releases holds pass. It sleeps again until the clock the checker judges by has passed `at`.
 */
export async function pauseUntil(
  pause: (ms: number) => Promise<void> | null,
  signal: AbortSignal,
  at: number,
  now: () => number,
): Promise<void> {
  for (let left = at - now(); left > 0 && !signal.aborted; left = at - now()) await pause(Math.max(1, Math.ceil(left)));
}
