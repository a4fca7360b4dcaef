/**
 * @module
 * Why a run stopped early, in words that fit what was seen: a stopped server, or one at its connection limit.
 */

import type { Observation, TargetStopped } from "../run-result.js";

/** Why the run stopped early, in words that fit what was seen: a stopped server, or one at its connection limit. */
export interface StopDescription {
  readonly reason: string;
  /** For each check that judged nothing: "not judged (…)". */
  readonly short: string;
  readonly fix: string;
}

const limitFix =
  "lower the scenario's concurrency (fewer rounds in a burst, a smaller --scale) or raise the limit (serve --max-connections N, or the proxy's)";

/**
 * A server at its connection limit looks like a stopped one from here: sockets reset or closed
 * unread. It gives itself away by answering other requests 503 (serve's busy answer, with
 * Retry-After) while it turns new sockets away; a run of refusals alone is a server that is gone.
 */
export function describeStop(stopped: TargetStopped, sent: readonly Observation[]): StopDescription {
  const at = (stopped.atMs / 1000).toFixed(1);
  const failures = `${stopped.consecutive} connection failures in a row (${stopped.outcome}; first: ${stopped.detail})`;
  const busy = sent.reduce((n, o) => (o.status === 503 ? n + 1 : n), 0);
  const resets = stopped.outcome.includes("CONNECTION_RESET");
  // Refused connections mean nothing listens any more: a crash, even after earlier 503s.
  const refused = stopped.outcome.includes("CONNECTION_REFUSED");
  if (busy > 0 && resets && !refused) {
    const answered = sent.reduce((n, o) => (o.status === null ? n : n + 1), 0);
    return {
      reason: `the target turned connections away ${at} s into the run: ${failures}, while it answered ${answered} other requests, ${busy} of them 503 (busy) — a connection limit, not a stopped server; the run was stopped there`,
      short: "the target turned connections away at its connection limit",
      fix: `${limitFix}, then run again`,
    };
  }
  return {
    reason: `the target stopped answering ${at} s into the run: ${failures}; the run was stopped there`,
    short: "the target stopped answering",
    fix: resets
      ? `check the server's logs for why it stopped; or, if it turns connections away at a connection limit (serve --max-connections, a proxy's limit), ${limitFix}; then run again`
      : "check the server's logs for why it stopped, then run again",
  };
}
