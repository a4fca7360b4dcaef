import { Agent, request } from "undici";
import { validateResponse } from "../../src/backend/spec/validators.js";
import { cancelPath, pathTemplates, payPath, reservePath } from "../../src/verify/client/paths.js";
import { type ReserveQuery, reserveParameters, stockLineData } from "../../src/verify/client/reserve-query.js";
import { adminKey } from "./reference.js";

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: T;
}

/** A pool big enough for the bursts the tests fire. */
export const agent = new Agent({ connections: 1024, pipelining: 1 });

type Json = Record<string, unknown>;

async function send(
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<ApiResponse<Json>> {
  const response = await request(url, {
    method,
    headers: options.headers ?? {},
    body: options.body ?? null,
    dispatcher: agent,
  });
  const text = await response.body.text();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name] = String(value);
  let body: Json = {};
  if (text !== "") body = JSON.parse(text) as Json;
  return { status: response.statusCode, headers, body };
}

/** Asserts (by throwing) that a response matches the spec for its operation. */
export function conforms<T>(operationId: string, response: ApiResponse<T>): ApiResponse<T> {
  const checked = validateResponse(
    operationId,
    response.status,
    response.headers["content-type"] ?? null,
    response.body,
  );
  if (!checked.ok) {
    throw new Error(
      `${operationId} ${response.status} does not match the spec: ${checked.errors.map((e) => e.message).join("; ")}\n${JSON.stringify(response.body)}`,
    );
  }
  return response;
}

export interface Line {
  readonly productStockId: number;
  readonly orderCount: number;
}

export function customData(lines: readonly Line[]): string {
  return JSON.stringify(stockLineData(lines));
}

/** The reserve query string the tests send: the one builder's, on a fixed amount and day. */
export function reserveQuery(paymentOrderId: string, data: string, overrides: Partial<ReserveQuery> = {}): string {
  const query = reserveParameters({ amount: "3000", timestamp: "20210621", paymentOrderId, customData: data });
  return new URLSearchParams({ ...query, ...overrides }).toString();
}

/** A typed little client over the reference API; every response is checked against the spec. */
export function api(base: string) {
  return {
    async token(form: Record<string, string>, headers: Record<string, string> = {}) {
      return conforms(
        "createToken",
        await send("POST", `${base}${pathTemplates.token}`, {
          headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
          body: new URLSearchParams(form).toString(),
        }),
      );
    },
    async login(user: { username: string; password: string }): Promise<string> {
      const response = await this.token({
        grant_type: "password",
        client_id: "clientapp",
        client_secret: "secret",
        ...user,
      });
      if (response.status !== 200) throw new Error(`login failed: ${JSON.stringify(response.body)}`);
      return response.body.access_token as string;
    },
    async reserveRaw(token: string | null, query: string, headers: Record<string, string> = {}) {
      const auth: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
      return conforms(
        "reserveStock",
        await send("GET", `${base}${reservePath(query)}`, { headers: { ...auth, ...headers } }),
      );
    },
    reserve(token: string, paymentOrderId: string, lines: readonly Line[]) {
      return this.reserveRaw(token, reserveQuery(paymentOrderId, customData(lines)));
    },
    async pay(token: string | null, paymentOrderId: string) {
      const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
      return conforms("payOrder", await send("GET", `${base}${payPath(paymentOrderId)}`, { headers }));
    },
    async cancel(token: string | null, paymentOrderId: string) {
      const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
      return conforms("cancelOrder", await send("DELETE", `${base}${cancelPath(paymentOrderId)}`, { headers }));
    },
    async snapshot(key = adminKey) {
      return conforms(
        "getSnapshot",
        await send("GET", `${base}${pathTemplates.snapshot}`, { headers: { "x-admin-key": key } }),
      );
    },
    async setStock(items: { productStockId: number; quantity: number }[], key = adminKey) {
      return conforms(
        "setStock",
        await send("PUT", `${base}${pathTemplates.stock}`, {
          headers: { "x-admin-key": key, "content-type": "application/json" },
          body: JSON.stringify({ items }),
        }),
      );
    },
    async reset(key = adminKey) {
      return conforms(
        "resetStore",
        await send("POST", `${base}${pathTemplates.reset}`, { headers: { "x-admin-key": key } }),
      );
    },
    send: (
      method: "GET" | "POST" | "PUT" | "DELETE",
      path: string,
      options?: { headers?: Record<string, string>; body?: string },
    ) => send(method, `${base}${path}`, options),
  };
}

/** Available units per SKU from the admin snapshot. */
export async function stockOf(client: ReturnType<typeof api>): Promise<Record<number, unknown>> {
  const snapshot = await client.snapshot();
  const skus = snapshot.body.skus as { productStockId: number; available: number; held: number; paid: number }[];
  return Object.fromEntries(
    skus.map((s) => [s.productStockId, { available: s.available, held: s.held, paid: s.paid }]),
  );
}
