/**
 * Waits, after a consumer test's requests, until the Pact mock server has recorded its matches.
 *
 * The mock server (pact-core 19, pact_ffi 0.5.x) answers a request before the task that records the
 * match has run: under CPU pressure, executeTest's check can read "expected but not received" for a
 * request that was answered (pact-foundation/pact-core-mock-server#13, fixed in pact_ffi 0.5.6,
 * whose pact-core needs Node 22). This waits on the same condition the check reads, with a bound:
 * a request that really never arrived still fails, a few seconds later.
 */
import { makeConsumerPact } from "@pact-foundation/pact-core";

const probe = makeConsumerPact("stockproof-match-probe", "stockproof-match-probe");
const boundMs = 3_000;

export async function untilMatched(port: number): Promise<void> {
  const started = performance.now();
  while (!probe.mockServerMatchedSuccessfully(port) && performance.now() - started < boundMs) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** The test body, then the wait: pass it to executeTest. */
export const matchSettled =
  <S extends { readonly port: number }>(body: (server: S) => Promise<unknown>) =>
  async (server: S): Promise<void> => {
    await body(server);
    await untilMatched(server.port);
  };
