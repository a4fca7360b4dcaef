import { Agent, request } from "undici";
import { cancelPath, pathTemplates, payPath, reservePath } from "../../src/verify/client/paths.js";
import { type ApiResponse, conforms, customData, type Line, reserveQuery } from "./api.js";
import { adminKey } from "./reference.js";

type Json = Record<string, unknown>;

/**
 * A client whose connections live for one phase of a test (a burst, a round of checks) and are
 * closed with it. A keep-alive socket left idle across phases can be closed by the server just as
 * the next request goes out on it (the keep-alive race); fresh sockets per phase keep that client
 * artefact out of results that are meant to judge the server.
 */
export interface PhaseClient {
  reserve(paymentOrderId: string, lines: readonly Line[]): Promise<ApiResponse<Json>>;
  pay(paymentOrderId: string): Promise<ApiResponse<Json>>;
  cancel(paymentOrderId: string): Promise<ApiResponse<Json>>;
  snapshot(): Promise<ApiResponse<Json>>;
  reset(): Promise<ApiResponse<Json>>;
  setStock(items: { productStockId: number; quantity: number }[]): Promise<ApiResponse<Json>>;
  close(): Promise<void>;
}

export function openPhase(base: string, token: string, connections = 1024): PhaseClient {
  const agent = new Agent({ connections, pipelining: 1 });

  const send = async (
    operationId: string,
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    headers: Record<string, string>,
    body: string | null = null,
  ): Promise<ApiResponse<Json>> => {
    const response = await request(`${base}${path}`, { method, headers, body, dispatcher: agent });
    const text = await response.body.text();
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) flat[name] = String(value);
    return conforms(operationId, {
      status: response.statusCode,
      headers: flat,
      body: text === "" ? {} : (JSON.parse(text) as Json),
    });
  };
  const bearer = { authorization: `Bearer ${token}` };
  const admin = { "x-admin-key": adminKey };

  return {
    reserve: (id, lines) => send("reserveStock", "GET", reservePath(reserveQuery(id, customData(lines))), bearer),
    pay: (id) => send("payOrder", "GET", payPath(id), bearer),
    cancel: (id) => send("cancelOrder", "DELETE", cancelPath(id), bearer),
    snapshot: () => send("getSnapshot", "GET", pathTemplates.snapshot, admin),
    reset: () => send("resetStore", "POST", pathTemplates.reset, admin),
    setStock: (items) =>
      send(
        "setStock",
        "PUT",
        pathTemplates.stock,
        { ...admin, "content-type": "application/json" },
        JSON.stringify({ items }),
      ),
    close: () => agent.close(),
  };
}
