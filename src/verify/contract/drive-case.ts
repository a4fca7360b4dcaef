/**
 * @module
 * One case of the drive: the request, the expected status and the channel (strict or observe) it goes through.
 */

import type { CallCase, OperationId, ReceivedResponse, SentRequest } from "../calls/index.js";

/**
 * "strict": through `prism proxy --errors` — the request must be valid and the response must conform.
 * "observe": through `prism proxy` without --errors — for requests that are invalid by design (Prism
 * under --errors would answer them itself and never reach the server); only response violations count.
 */
export type Channel = "strict" | "observe";

export interface Case {
  readonly operationId: OperationId;
  /** What this case exercises, e.g. "out of stock". */
  readonly label: string;
  readonly channel: Channel;
  /** The statuses the reference server answers for this case (another status is reported, not failed). */
  readonly expected: readonly number[];
  readonly request: SentRequest;
}

/** Runs one case through the channel's proxy; the drive reads the response to build later cases. */
export type Call = (c: Case) => Promise<ReceivedResponse>;

/** A catalogue call as a case of the drive, with the catalogue's expected status. */
export function caseOf(c: CallCase, request: SentRequest, label = c.says): Case {
  return {
    operationId: c.operationId,
    label,
    channel: c.valid ? "strict" : "observe",
    expected: [c.expect.status],
    request,
  };
}
