import { Agent, request } from "undici";
import { type ApiResponse, conforms } from "../helpers/api.js";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** One HTTP call, described independently of where it goes. */
export interface Call {
  readonly operationId: string;
  readonly method: Method;
  /** Path and query, starting at the API root ("/orders/payment/choice?…"). */
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface Target {
  readonly name: string;
  /** Sends the call and checks the response against the spec. */
  send(call: Call): Promise<ApiResponse<Record<string, unknown>>>;
}

async function parse(status: number, headers: Record<string, string>, text: string) {
  const body = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
  return { status, headers, body };
}

/** Through the global fetch, which MSW's setupServer intercepts. */
export function fetchTarget(name: string, base: string): Target {
  return {
    name,
    async send(call) {
      const response = await fetch(`${base}${call.path}`, {
        method: call.method,
        headers: call.headers ?? {},
        body: call.body ?? null,
      });
      const headers = Object.fromEntries(response.headers.entries());
      return conforms(call.operationId, await parse(response.status, headers, await response.text()));
    },
  };
}

/** Through undici's own dispatcher on a real socket (MSW's fetch interception does not see it). */
export function undiciTarget(name: string, base: string, agent = new Agent({ connections: 16 })): Target {
  return {
    name,
    async send(call) {
      const response = await request(`${base}${call.path}`, {
        method: call.method,
        headers: call.headers ?? {},
        body: call.body ?? null,
        dispatcher: agent,
      });
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(response.headers)) headers[key] = String(value);
      return conforms(call.operationId, await parse(response.statusCode, headers, await response.body.text()));
    },
  };
}
