/**
 * @module
 * Marks an answer as a cut connection, which the listening server and the MSW handlers then carry out.
 */

import type { TransportFault } from "../../test-control/fault-rules.js";

/**
 * The app never owns a socket, so a cut connection is an answer marked with this header: the
 * listening server (src/backend/server/listen.ts) resets or closes the socket instead of writing it, and
 * the MSW handlers answer `Response.error()`, which makes the page's fetch reject.
 */
export const cutConnectionHeader = "x-stockproof-cut-connection";

export function cutConnection(kind: TransportFault): Response {
  return new Response(null, { status: 502, headers: { [cutConnectionHeader]: kind } });
}

/** The transport fault an answer stands for, or null for a real answer. */
export function cutConnectionKind(response: Response): TransportFault | null {
  const kind = response.headers.get(cutConnectionHeader);
  return kind === "connectionReset" || kind === "emptyReply" ? kind : null;
}
