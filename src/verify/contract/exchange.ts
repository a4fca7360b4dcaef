/**
 * @module
 * Sends the drives' requests to one base URL and reads each response with flat headers and a parsed body.
 */

import { Agent, request } from "undici";
import type { ReceivedResponse, SentRequest } from "../calls/case.js";

export type { Method, ReceivedResponse, SentRequest } from "../calls/case.js";

/** A response as the drives see it: flat headers, the body parsed when it is JSON. */
export function received(
  status: number,
  rawHeaders: Record<string, string | string[] | undefined>,
  text: string,
): ReceivedResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawHeaders)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  let body: unknown = text === "" ? null : text;
  if (text !== "" && /json/i.test(headers["content-type"] ?? "")) {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  return { status, headers, body };
}

/** Sends requests to one base URL; the pool is large enough for the bursts the drives fire. */
export function createSender(options: { connections?: number; timeoutMs?: number } = {}) {
  const agent = new Agent({
    connections: options.connections ?? 256,
    pipelining: 1,
    headersTimeout: options.timeoutMs ?? 30_000,
    bodyTimeout: options.timeoutMs ?? 30_000,
  });
  return {
    async send(base: string, sent: SentRequest): Promise<ReceivedResponse> {
      const response = await request(`${base}${sent.path}`, {
        method: sent.method,
        headers: sent.headers,
        body: sent.body,
        dispatcher: agent,
      });
      return received(response.statusCode, response.headers, await response.body.text());
    },
    close: () => agent.close(),
  };
}

export type Sender = ReturnType<typeof createSender>;
