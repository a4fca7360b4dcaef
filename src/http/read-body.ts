import type { Context } from "hono";
import { problemResponse, toProblem } from "./problems.js";
import { requestHeader } from "./request-header.js";

/** The request body as text, or a 413 problem once it passes `limit` bytes (declared or read). */
export async function readBody(
  c: Context,
  limit: number,
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
    const { done, value } = await reader.read();
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
