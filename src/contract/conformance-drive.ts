import { cancelPath, payPath, reservePath as reservePathOf } from "../client/paths.js";
import { reserveParameters } from "../client/reserve-query.js";
import type { Method, ReceivedResponse, SentRequest } from "./exchange.js";

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/** What the drive needs to know about the server under test. Defaults: the demo data. */
export interface DriveSettings {
  readonly client: { readonly id: string; readonly secret: string };
  readonly buyer: Credentials;
  /** A second user, for "another user's order answers 404"; null skips that case. */
  readonly other: Credentials | null;
  /** Key of the test-control API; null drives the public API only (no stock set-up, no snapshot). */
  readonly adminKey: string | null;
  /** The SKU every reservation takes, and how its product is named in productInfoList. */
  readonly sku: {
    readonly productStockId: number;
    readonly productId: number;
    readonly color: string;
    readonly size: string;
  };
  /** A productStockId the server does not know. */
  readonly unknownSku: number;
  /** The seed-3-1 burst: this many simultaneous one-unit reservations (then pay) against `stock` units. */
  readonly burst: { readonly reservations: number; readonly stock: number };
  /** Makes this run's paymentOrderIds unique on servers that keep data between runs. */
  readonly runId: string;
}

export const demoDriveSettings: Omit<DriveSettings, "runId"> = {
  client: { id: "clientapp", secret: "secret" },
  buyer: { username: "buyer@example.com", password: "buyer-password" },
  other: { username: "other@example.com", password: "other-password" },
  adminKey: "stockproof-admin",
  sku: { productStockId: 311191, productId: 219622, color: "BLACK", size: "L" },
  unknownSku: 999_999_999,
  burst: { reservations: 100, stock: 50 },
};

/**
 * "strict": through `prism proxy --errors` — the request must be valid and the response must conform.
 * "observe": through `prism proxy` without --errors — for requests that are invalid by design (Prism
 * under --errors would answer them itself and never reach the server); only response violations count.
 */
export type Channel = "strict" | "observe";

export interface Case {
  readonly operationId: string;
  /** What this case exercises, e.g. "reserve: out of stock". */
  readonly label: string;
  readonly channel: Channel;
  /** The statuses the reference server answers for this case (another status is reported, not failed). */
  readonly expected: readonly number[];
  readonly request: SentRequest;
}

/** Runs one case through the channel's proxy; the drive reads the response to build later cases. */
export type Call = (c: Case) => Promise<ReceivedResponse>;

const form = "application/x-www-form-urlencoded";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function req(method: Method, path: string, headers: Record<string, string> = {}, body: string | null = null) {
  return { method, path, headers, body };
}

function field(response: ReceivedResponse, name: string): string {
  const value = (response.body as Record<string, unknown> | null)?.[name];
  if (typeof value !== "string") {
    throw new Error(`Expected "${name}" in the ${response.status} answer: ${JSON.stringify(response.body)}`);
  }
  return value;
}

/** Every operation of the spec, on its success path and each error path the reference has. */
export async function drive(settings: DriveSettings, call: Call): Promise<void> {
  const { sku, client, adminKey } = settings;
  let serial = 0;
  const nextId = () => `conform-${settings.runId}-${++serial}`;
  const admin = adminKey === null ? null : { "x-admin-key": adminKey };
  const json = { "content-type": "application/json" };
  const stockLine = (orderCount: number, productStockId = sku.productStockId) =>
    JSON.stringify({ productInfoList: null, productStockList: [{ productStockId, orderCount }] });
  const reservePath = (paymentOrderId: string, customData: string, overrides: Record<string, string> = {}) =>
    reservePathOf(
      reserveParameters({ amount: "3000", timestamp: "20210621", paymentOrderId, customData, ...overrides }),
    );
  const tokenBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const passwordGrant = (user: Credentials, extra: Record<string, string> = {}) =>
    tokenBody({ grant_type: "password", ...user, client_id: client.id, client_secret: client.secret, ...extra });
  const step = (operationId: string, label: string, channel: Channel, expectedStatus: number, request: SentRequest) =>
    call({ operationId, label, channel, expected: [expectedStatus], request });

  // Test-control API: a known starting point.
  if (admin !== null) {
    await step("resetStore", "reset", "strict", 200, req("POST", "/__admin/reset", admin));
    const items = [{ productStockId: sku.productStockId, quantity: settings.burst.stock }];
    await step(
      "setStock",
      "set stock",
      "strict",
      200,
      req("PUT", "/__admin/stock", { ...admin, ...json }, JSON.stringify({ items })),
    );
    await step("getSnapshot", "snapshot", "strict", 200, req("GET", "/__admin/snapshot", admin));
    await step(
      "getSnapshot",
      "wrong admin key",
      "strict",
      401,
      req("GET", "/__admin/snapshot", { "x-admin-key": `${adminKey}-wrong` }),
    );
    await step("getSnapshot", "missing admin key", "observe", 401, req("GET", "/__admin/snapshot"));
    const negative = JSON.stringify({ items: [{ productStockId: sku.productStockId, quantity: -1 }] });
    await step(
      "setStock",
      "negative quantity",
      "observe",
      400,
      req("PUT", "/__admin/stock", { ...admin, ...json }, negative),
    );
    await step(
      "setStock",
      "not JSON",
      "observe",
      415,
      req("PUT", "/__admin/stock", { ...admin, "content-type": "text/plain" }, "311191=50"),
    );
  }

  // OAuth token endpoint.
  const login = await step(
    "createToken",
    "password grant",
    "strict",
    200,
    req("POST", "/oauth/token", { "content-type": form }, passwordGrant(settings.buyer)),
  );
  const token = field(login, "access_token");
  const refresh = field(login, "refresh_token");
  await step(
    "createToken",
    "refresh_token grant",
    "strict",
    200,
    req(
      "POST",
      "/oauth/token",
      { "content-type": form },
      tokenBody({
        grant_type: "refresh_token",
        refresh_token: refresh,
        client_id: client.id,
        client_secret: client.secret,
      }),
    ),
  );
  const basic = `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString("base64")}`;
  await step(
    "createToken",
    "client by HTTP Basic",
    "strict",
    200,
    req(
      "POST",
      "/oauth/token",
      { "content-type": form, authorization: basic },
      tokenBody({ grant_type: "password", ...settings.buyer }),
    ),
  );
  await step(
    "createToken",
    "wrong password",
    "strict",
    400,
    req(
      "POST",
      "/oauth/token",
      { "content-type": form },
      passwordGrant({ ...settings.buyer, password: `${settings.buyer.password}-wrong` }),
    ),
  );
  await step(
    "createToken",
    "wrong client secret",
    "strict",
    401,
    req(
      "POST",
      "/oauth/token",
      { "content-type": form },
      passwordGrant(settings.buyer, { client_secret: `${client.secret}-wrong` }),
    ),
  );
  await step(
    "createToken",
    "unsupported grant",
    "strict",
    400,
    req(
      "POST",
      "/oauth/token",
      { "content-type": form },
      tokenBody({ grant_type: "client_credentials", client_id: client.id, client_secret: client.secret }),
    ),
  );
  await step(
    "createToken",
    "scope outside read write",
    "strict",
    400,
    req("POST", "/oauth/token", { "content-type": form }, passwordGrant(settings.buyer, { scope: "admin" })),
  );
  await step(
    "createToken",
    "refresh token not valid",
    "strict",
    400,
    req(
      "POST",
      "/oauth/token",
      { "content-type": form },
      tokenBody({
        grant_type: "refresh_token",
        refresh_token: "not-a-token",
        client_id: client.id,
        client_secret: client.secret,
      }),
    ),
  );
  await step(
    "createToken",
    "grant_type missing",
    "observe",
    400,
    req("POST", "/oauth/token", { "content-type": form }, tokenBody({ username: settings.buyer.username })),
  );
  await step(
    "createToken",
    "JSON body",
    "observe",
    415,
    req("POST", "/oauth/token", json, JSON.stringify({ grant_type: "password" })),
  );
  // Above the reference's 64 KiB body limit. (A 414 cannot be driven: Prism's own HTTP server caps headers at 16 KiB.)
  await step(
    "createToken",
    "body over 64 KiB",
    "observe",
    413,
    req(
      "POST",
      "/oauth/token",
      { "content-type": form },
      tokenBody({ grant_type: "password", username: "u".repeat(70_000) }),
    ),
  );
  const readOnly = await step(
    "createToken",
    "read-only scope",
    "strict",
    200,
    req("POST", "/oauth/token", { "content-type": form }, passwordGrant(settings.buyer, { scope: "read" })),
  );
  const readToken = field(readOnly, "access_token");

  // Reserve.
  const auth = bearer(token);
  const reserved = nextId();
  await step("reserveStock", "reserve", "strict", 200, req("GET", reservePath(reserved, stockLine(1)), auth));
  const infoLine = JSON.stringify({
    productStockList: null,
    productInfoList: [{ productId: sku.productId, color: sku.color, size: sku.size, count: 1 }],
  });
  const byInfo = nextId();
  await step(
    "reserveStock",
    "reserve by productInfoList",
    "strict",
    200,
    req("GET", reservePath(byInfo, infoLine), auth),
  );
  await step(
    "reserveStock",
    "duplicate paymentOrderId",
    "strict",
    409,
    req("GET", reservePath(reserved, stockLine(1)), auth),
  );
  await step("reserveStock", "out of stock", "strict", 409, req("GET", reservePath(nextId(), stockLine(1000)), auth));
  await step(
    "reserveStock",
    "unknown SKU",
    "strict",
    400,
    req("GET", reservePath(nextId(), stockLine(1, settings.unknownSku)), auth),
  );
  await step(
    "reserveStock",
    "customData not JSON",
    "observe",
    400,
    req("GET", reservePath(nextId(), '{"productStockList":'), auth),
  );
  await step("reserveStock", "orderCount 0", "observe", 400, req("GET", reservePath(nextId(), stockLine(0)), auth));
  await step(
    "reserveStock",
    "no line items",
    "observe",
    400,
    req("GET", reservePath(nextId(), JSON.stringify({ productInfoList: null, productStockList: [] })), auth),
  );
  const many = JSON.stringify({
    productInfoList: null,
    productStockList: Array.from({ length: 51 }, () => ({ productStockId: sku.productStockId, orderCount: 1 })),
  });
  await step("reserveStock", "too many line items", "observe", 400, req("GET", reservePath(nextId(), many), auth));
  await step(
    "reserveStock",
    "amount not a number",
    "observe",
    400,
    req("GET", reservePath(nextId(), stockLine(1), { amount: "12,5" }), auth),
  );
  const missing = reservePath(nextId(), stockLine(1)).replace("merchantId=itsdcode&", "");
  await step("reserveStock", "merchantId missing", "observe", 400, req("GET", missing, auth));
  await step(
    "reserveStock",
    "storeId twice",
    "observe",
    400,
    req("GET", `${reservePath(nextId(), stockLine(1))}&storeId=other`, auth),
  );
  await step("reserveStock", "no token", "observe", 401, req("GET", reservePath(nextId(), stockLine(1))));
  await step(
    "reserveStock",
    "malformed token",
    "strict",
    401,
    req("GET", reservePath(nextId(), stockLine(1)), bearer("not.a.jwt")),
  );
  const forged = `${token.slice(0, token.lastIndexOf(".") + 1)}${"A".repeat(43)}`;
  await step(
    "reserveStock",
    "token with a wrong signature",
    "strict",
    401,
    req("GET", reservePath(nextId(), stockLine(1)), bearer(forged)),
  );
  await step(
    "reserveStock",
    "read-only token",
    "strict",
    403,
    req("GET", reservePath(nextId(), stockLine(1)), bearer(readToken)),
  );

  // Pay and cancel.
  await step("payOrder", "pay", "strict", 200, req("GET", payPath(reserved), auth));
  await step("payOrder", "pay again", "strict", 200, req("GET", payPath(reserved), auth));
  await step("cancelOrder", "cancel a paid order", "strict", 409, req("DELETE", cancelPath(reserved), auth));
  await step("cancelOrder", "cancel", "strict", 200, req("DELETE", cancelPath(byInfo), auth));
  await step("cancelOrder", "cancel again", "strict", 200, req("DELETE", cancelPath(byInfo), auth));
  await step("payOrder", "pay a cancelled order", "strict", 409, req("GET", payPath(byInfo), auth));
  const unknown = nextId();
  await step("payOrder", "pay an unknown order", "strict", 404, req("GET", payPath(unknown), auth));
  await step("cancelOrder", "cancel an unknown order", "strict", 404, req("DELETE", cancelPath(unknown), auth));
  await step("payOrder", "paymentOrderId with a space", "observe", 400, req("GET", payPath("bad id"), auth));
  await step("cancelOrder", "paymentOrderId with a space", "observe", 400, req("DELETE", cancelPath("bad id"), auth));
  await step("payOrder", "no token", "observe", 401, req("GET", payPath(reserved)));
  await step("cancelOrder", "no token", "observe", 401, req("DELETE", cancelPath(reserved)));
  await step("payOrder", "read-only token", "strict", 403, req("GET", payPath(reserved), bearer(readToken)));
  await step("cancelOrder", "read-only token", "strict", 403, req("DELETE", cancelPath(reserved), bearer(readToken)));
  if (settings.other !== null) {
    const otherLogin = await step(
      "createToken",
      "password grant (second user)",
      "strict",
      200,
      req("POST", "/oauth/token", { "content-type": form }, passwordGrant(settings.other)),
    );
    const otherAuth = bearer(field(otherLogin, "access_token"));
    await step("payOrder", "another user's order", "strict", 404, req("GET", payPath(reserved), otherAuth));
    await step("cancelOrder", "another user's order", "strict", 404, req("DELETE", cancelPath(reserved), otherAuth));
  }

  await burst(settings, call, auth, nextId, reservePath, stockLine, payPath);
  if (admin !== null)
    await step("getSnapshot", "snapshot after the burst", "strict", 200, req("GET", "/__admin/snapshot", admin));
}

/** Seed 3-1: N one-unit reservations released at once against a SKU with fewer units, then pay the winners. */
async function burst(
  settings: DriveSettings,
  call: Call,
  auth: Record<string, string>,
  nextId: () => string,
  reservePath: (id: string, customData: string) => string,
  stockLine: (count: number) => string,
  payPath: (id: string) => string,
): Promise<void> {
  if (settings.adminKey !== null) {
    const items = [{ productStockId: settings.sku.productStockId, quantity: settings.burst.stock }];
    const headers = { "x-admin-key": settings.adminKey, "content-type": "application/json" };
    await call({
      operationId: "setStock",
      label: "burst: set stock",
      channel: "strict",
      expected: [200],
      request: req("PUT", "/__admin/stock", headers, JSON.stringify({ items })),
    });
  }
  const ids = Array.from({ length: settings.burst.reservations }, nextId);
  const answers = await Promise.all(
    ids.map((id) =>
      call({
        operationId: "reserveStock",
        label: "burst: reserve one unit",
        channel: "strict",
        // Which ones win is a race; how many is checked against the model by the caller.
        expected: [200, 409],
        request: req("GET", reservePath(id, stockLine(1)), auth),
      }).then((response) => ({ id, response })),
    ),
  );
  const winners = answers.filter((a) => a.response.status === 200).map((a) => a.id);
  await Promise.all(
    winners.map((id) =>
      call({
        operationId: "payOrder",
        label: "burst: pay",
        channel: "strict",
        expected: [200],
        request: req("GET", payPath(id), auth),
      }),
    ),
  );
}
