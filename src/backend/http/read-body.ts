/**
 * @module
 * Reads a request body within its byte limit: 413 past it, 400 when the client went away mid-body.
 */

import type { Context } from "hono";
import { problemResponse, toProblem } from "./problems.js";
import { requestHeader } from "./request-header.js";

/**
 * The request body as text, or a 413 problem once it passes `limit` bytes (declared or read), or a
 * 400 when the connection closed before the whole body arrived (the client went away, or the
 * server's request timeout closed it): `onAborted` is told; it is not a bug of ours.
 */
export async function readBody(
  c: Context,
  limit: number,
  onAborted: (message: string) => void = () => {},
): Promise<{ ok: true; text: string } | { ok: false; response: Response }> {
  const declared = Number(requestHeader(c, "content-length") ?? "0");
  const tooLarge = () => ({
    ok: false as const,
    response: problemResponse(toProblem("PAYLOAD_TOO_LARGE", `The request body exceeds ${limit} bytes.`)),
  });
  if (declared > limit) return tooLarge();
  // Read chunk by chunk and stop at the limit: a body without Content-Length (chunked) must not be buffered whole.
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = c.req.raw.body?.getReader();
  while (reader !== undefined) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      const message = `${c.req.method} ${c.req.path}: the connection closed after ${size} of ${declared || "?"} body bytes (${(error as Error).message})`;
      onAborted(message);
      return {
        ok: false,
        response: problemResponse(
          toProblem("INVALID_PARAMETER", `The request body ended after ${size} bytes, before all of it arrived.`),
        ),
      };
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return tooLarge();
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return { ok: true, text: new TextDecoder().decode(bytes) };
}
