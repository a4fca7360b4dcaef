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
