/** Node timers fire at once for anything above 2^31 − 1 ms. */
const longestTimerMs = 2_147_483_647;

/**
 * The run's time bound as an abort signal. It bounds the traffic: waits that are the tool's own
 * (for --start-at, for holds to expire) or that the scenario declares push it back, so they never
 * cut off a run that is going as it should.
 */
export function createDeadline(boundMs: number) {
  const controller = new AbortController();
  let at = Date.now() + boundMs;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), Math.min(Math.max(0, at - Date.now()), longestTimerMs));
    timer.unref();
  };
  arm();
  return {
    signal: controller.signal,
    /** Stops the run now (the target stopped answering). */
    abort: () => controller.abort(),
    /** Pushes the bound back by `ms`. */
    extend(ms: number) {
      if (ms <= 0 || controller.signal.aborted) return;
      at += ms;
      arm();
    },
    /** Makes sure the bound is no earlier than `ms` from now. */
    atLeast(ms: number) {
      this.extend(Date.now() + ms - at);
    },
    clear: () => clearTimeout(timer),
  };
}
