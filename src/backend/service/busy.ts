/**
 * @module
 * The service's busy and full errors, so callers can answer a locked or full store without knowing the store.
 */

import { StoreBusyError, StoreFullError } from "../store/port.js";

/**
 * The store could not take its lock in time: nothing changed, and the same call may be retried.
 * The service's own error, so that callers (HTTP maps it to 503 STORE_BUSY) need not know the store.
 */
export class ServiceBusyError extends Error {
  override readonly name = "ServiceBusyError";
  constructor(cause: StoreBusyError) {
    super(cause.message, { cause });
  }
}

/**
 * The store cannot grow (disk full): nothing changed, and retrying helps only once space is freed.
 * Not a bug: answered 503 STORE_FULL and logged once per interval, not once per request.
 */
export class ServiceFullError extends Error {
  override readonly name = "ServiceFullError";
  constructor(cause: StoreFullError) {
    super(cause.message, { cause });
  }
}

/** Rethrows a store's busy or full error as the service's; any other error as it is. */
export function surfaceBusy(error: unknown): never {
  if (error instanceof StoreBusyError) throw new ServiceBusyError(error);
  if (error instanceof StoreFullError) throw new ServiceFullError(error);
  throw error;
}

/** Runs a synchronous store call, surfacing busy as the service's error. */
export function busyAware<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    surfaceBusy(error);
  }
}
