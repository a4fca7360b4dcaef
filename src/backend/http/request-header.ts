/**
 * @module
 * Reads one request header cheaply, straight from the Node request when there is one.
 */

import type { Context } from "hono";

interface NodeBindings {
  readonly incoming?: { readonly rawHeaders?: readonly string[] };
}

/**
 * A request header as the Fetch API gives it (repeated fields joined with ", "; undefined when absent).
 * On @hono/node-server the raw Node request is read directly: building the Fetch Headers object for
 * one lookup costs more than a reservation's SQL. Elsewhere (MSW, fetch handlers) Hono's lookup is used.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const raw = (c.env as NodeBindings | undefined)?.incoming?.rawHeaders;
  if (raw === undefined) return c.req.header(name);
  const wanted = name.toLowerCase();
  let value: string | undefined;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if ((raw[i] as string).toLowerCase() !== wanted) continue;
    const field = raw[i + 1] as string;
    value = value === undefined ? field : `${value}, ${field}`;
  }
  return value;
}
