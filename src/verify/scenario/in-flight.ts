/**
 * At most `limit` requests prepared and handed to the connection pool at once. The pool can only
 * send as many as it has connections; the rest of a 50 000-request burst would otherwise wait in
 * its queue fully built (URL, headers, handler, promises). A request that waits here is not yet
 * sent, so its interval starts when it leaves.
 */
export function createInFlightGate(limit: number) {
  let running = 0;
  // A queue by index: shift() on tens of thousands of waiters would cost O(n) each.
  const waiting: ((() => void) | undefined)[] = [];
  let head = 0;
  const next = (): (() => void) | undefined => {
    if (head >= waiting.length) return undefined;
    const wake = waiting[head];
    waiting[head++] = undefined;
    if (head === waiting.length) {
      waiting.length = 0;
      head = 0;
    }
    return wake;
  };
  return async function through<T>(work: () => Promise<T>): Promise<T> {
    if (running < limit) running++;
    else await new Promise<void>((resolve) => waiting.push(resolve)); // woken with a slot handed over
    try {
      return await work();
    } finally {
      const wake = next();
      if (wake === undefined) running--;
      else wake();
    }
  };
}
