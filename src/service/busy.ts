import { StoreBusyError } from "../store/port.js";

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

/** Rethrows a store's busy error as the service's; any other error as it is. */
export function surfaceBusy(error: unknown): never {
  throw error instanceof StoreBusyError ? new ServiceBusyError(error) : error;
}

/** Runs a synchronous store call, surfacing busy as the service's error. */
export function busyAware<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    surfaceBusy(error);
  }
}
