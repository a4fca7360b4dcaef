import { Agent, request } from "undici";
import type { OperationId, SentRequest } from "../../src/verify/calls/index.js";
import { type ApiResponse, conforms } from "../helpers/api.js";

export interface Target {
  readonly name: string;
  /** Requests sent so far. */
  readonly sent: number;
  /** Sends the request and checks the response against the spec for its operation. */
  send(operationId: OperationId, request: SentRequest): Promise<ApiResponse<Record<string, unknown>>>;
}

const parse = (text: string) => (text === "" ? {} : (JSON.parse(text) as Record<string, unknown>));

/** Through the global fetch, which MSW's setupServer intercepts. */
export function fetchTarget(name: string, base: string): Target {
  let sent = 0;
  return {
    name,
    get sent() {
      return sent;
    },
    async send(operationId, r) {
      sent += 1;
      const response = await fetch(`${base}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
      const headers = Object.fromEntries(response.headers.entries());
      return conforms(operationId, { status: response.status, headers, body: parse(await response.text()) });
    },
  };
}

/** Through undici's own dispatcher on a real socket (MSW's fetch interception does not see it). */
export function undiciTarget(name: string, base: string, agent = new Agent({ connections: 16 })): Target {
  let sent = 0;
  return {
    name,
    get sent() {
      return sent;
    },
    async send(operationId, r) {
      sent += 1;
      const response = await request(`${base}${r.path}`, {
        method: r.method,
        headers: r.headers,
        body: r.body,
        dispatcher: agent,
      });
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(response.headers)) headers[key] = String(value);
      return conforms(operationId, { status: response.statusCode, headers, body: parse(await response.body.text()) });
    },
  };
}
