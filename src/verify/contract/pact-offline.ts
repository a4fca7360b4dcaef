/**
 * The Pact FFI reports anonymous usage to an analytics service unless PACT_DO_NOT_TRACK is "true".
 * stockproof's checks talk to loopback only, so every entry into Pact calls this first.
 */
export function keepPactOffline(): void {
  process.env.PACT_DO_NOT_TRACK = "true";
}
