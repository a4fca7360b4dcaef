/**
 * An error raised after the store committed a request's change, while building its reply. The
 * change stands: the 500 that reports it must not say it was rolled back.
 */
export class AfterCommitError extends Error {
  override readonly name = "AfterCommitError";
  /** What was committed, e.g. "order 42 is PAID". */
  readonly committed: string;
  constructor(committed: string, cause: unknown) {
    super(`${committed} (committed), but its reply could not be built`, { cause });
    this.committed = committed;
  }
}

/** Runs `reply` once `committed` is in the store; whatever it throws becomes an AfterCommitError. */
export function afterCommit<T>(committed: string, reply: () => T): T {
  try {
    return reply();
  } catch (error) {
    throw new AfterCommitError(committed, error);
  }
}
