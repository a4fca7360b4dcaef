import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { cancelPath, payPath, reservePath } from "../client/paths.js";
import { reserveQuery } from "../client/reserve-query.js";
import { createSender } from "./exchange.js";

/** A provider state as it appears in a pact: plain-words name plus the data a handler needs. */
export interface ProviderState {
  readonly name: string;
  readonly params: Record<string, string | number>;
}

/**
 * The provider states the checkout contracts use. Names are the exact `given()` texts; params carry
 * the same facts as data, so a state endpoint never has to parse the words.
 */
export const states = {
  userCanLogIn: (username: string, password: string): ProviderState => ({
    name: `user ${username} exists with password ${password}`,
    params: { username, password },
  }),
  skuHasUnits: (productStockId: number, units: number): ProviderState => ({
    name: `SKU ${productStockId} has ${units} ${units === 1 ? "unit" : "units"}`,
    params: { productStockId, units },
  }),
  loggedIn: (username: string): ProviderState => ({ name: `${username} is logged in`, params: { username } }),
  holdsRefreshToken: (username: string): ProviderState => ({
    name: `${username} holds a refresh token`,
    params: { username },
  }),
  accessTokenExpired: (username: string): ProviderState => ({
    name: `${username}'s access token has expired`,
    params: { username },
  }),
  order: (
    status: "reserved" | "paid" | "cancelled",
    paymentOrderId: string,
    username: string,
    line: { productStockId: number; orderCount: number },
  ): ProviderState => ({
    name: `order ${paymentOrderId} is ${status} by ${username}`,
    params: { paymentOrderId, status, username, ...line },
  }),
  noOrder: (username: string, paymentOrderId: string): ProviderState => ({
    name: `${username} has no order ${paymentOrderId}`,
    params: { username, paymentOrderId },
  }),
} as const;

/** How a server must be reachable for the handlers below to set a state up. */
export type StateNeed = "test-control API" | "user's password" | "token signing secret" | "nothing";

interface Template {
  readonly pattern: RegExp;
  /** In plain words, for contracts/README.md and the verify command's advice. */
  readonly means: string;
  readonly needs: readonly StateNeed[];
  /** Values the state hands to the request (pact `fromProviderState` expressions). */
  readonly provides: readonly string[];
}

export const stateTemplates: Readonly<Record<string, Template>> = {
  userCanLogIn: {
    pattern: /^user (\S+) exists with password (\S+)$/,
    means: "The user exists and that password logs them in (the demo users already do).",
    needs: ["user's password"],
    provides: [],
  },
  skuHasUnits: {
    pattern: /^SKU (\d+) has (\d+) units?$/,
    means: "The SKU's available stock is exactly `units` (PUT /__admin/stock).",
    needs: ["test-control API"],
    provides: [],
  },
  loggedIn: {
    pattern: /^(\S+) is logged in$/,
    means: "The user has a valid access token (password grant).",
    needs: ["user's password"],
    provides: ["accessToken"],
  },
  holdsRefreshToken: {
    pattern: /^(\S+) holds a refresh token$/,
    means: "The user has a valid refresh token (password grant).",
    needs: ["user's password"],
    provides: ["refreshToken"],
  },
  accessTokenExpired: {
    pattern: /^(\S+)'s access token has expired$/,
    means: "The user holds an access token whose exp is in the past.",
    needs: ["token signing secret"],
    provides: ["accessToken"],
  },
  order: {
    pattern: /^order (\S+) is (reserved|paid|cancelled) by (\S+)$/,
    means:
      "The user reserved `orderCount` units of the SKU under that paymentOrderId (then paid or cancelled it) through the public API.",
    needs: ["user's password"],
    provides: [],
  },
  noOrder: {
    pattern: /^(\S+) has no order (\S+)$/,
    means: "No order with that paymentOrderId exists for the user (true after a reset).",
    needs: ["nothing"],
    provides: [],
  },
};

export function templateOf(name: string): [string, Template] | undefined {
  return Object.entries(stateTemplates).find(([, t]) => t.pattern.test(name));
}

export interface StateHandlerOptions {
  readonly providerBaseUrl: string;
  /** The test-control API's key; without it stock cannot be set and nothing is reset between interactions. */
  readonly adminKey: string | null;
  /** Passwords of the users the states name. */
  readonly passwords: Readonly<Record<string, string>>;
  readonly client: { readonly id: string; readonly secret: string };
  /** Signs the expired token the way the provider signs its own (the reference's defaults unless told). */
  readonly tokenSigning: { readonly secret: string; readonly audience: string };
}

type Params = Readonly<Record<string, unknown>>;
export type StateSetup = (params?: Params) => Promise<Record<string, string> | undefined>;

function text(params: Params | undefined, name: string): string {
  const value = params?.[name];
  if (typeof value !== "string" && typeof value !== "number") throw new Error(`state parameter ${name} is missing`);
  return String(value);
}

/**
 * State handlers over the public API and the test-control API of any server with this API, keyed
 * by the exact state names found in the pacts; `beforeEach` resets the server before each interaction.
 */
export function createStateHandlers(options: StateHandlerOptions, names: readonly string[]) {
  const sender = createSender({ connections: 8 });
  const base = options.providerBaseUrl.replace(/\/$/, "");
  const call = async (
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    headers: Record<string, string>,
    body: string | null = null,
  ) => {
    const response = await sender.send(base, { method, path, headers, body });
    if (response.status !== 200) {
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body as Record<string, unknown>;
  };
  const admin = () => {
    if (options.adminKey === null) throw new Error("this state needs the test-control API (--admin-key)");
    return { "x-admin-key": options.adminKey };
  };
  const login = async (username: string, given?: string) => {
    const password = given ?? options.passwords[username];
    if (password === undefined) throw new Error(`no password known for ${username} (--user ${username}:PASSWORD)`);
    const form = new URLSearchParams({
      grant_type: "password",
      username,
      password,
      client_id: options.client.id,
      client_secret: options.client.secret,
    });
    const body = await call(
      "POST",
      "/oauth/token",
      { "content-type": "application/x-www-form-urlencoded" },
      form.toString(),
    );
    return { accessToken: String(body.access_token), refreshToken: String(body.refresh_token) };
  };
  const setups: Record<string, StateSetup> = {
    userCanLogIn: async (params) => {
      // The state claims this password works: check exactly that.
      await login(text(params, "username"), text(params, "password"));
      return undefined;
    },
    skuHasUnits: async (params) => {
      const items = [
        { productStockId: Number(text(params, "productStockId")), quantity: Number(text(params, "units")) },
      ];
      await call(
        "PUT",
        "/__admin/stock",
        { ...admin(), "content-type": "application/json" },
        JSON.stringify({ items }),
      );
      return undefined;
    },
    loggedIn: async (params) => ({ accessToken: (await login(text(params, "username"))).accessToken }),
    holdsRefreshToken: async (params) => ({ refreshToken: (await login(text(params, "username"))).refreshToken }),
    accessTokenExpired: async (params) => {
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({
        user_name: text(params, "username"),
        scope: ["read", "write"],
        client_id: options.client.id,
        authorities: ["ROLE_USER"],
        jti: randomUUID(),
      })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setAudience([options.tokenSigning.audience])
        .setIssuedAt(now - 7200)
        .setExpirationTime(now - 3600)
        .sign(new TextEncoder().encode(options.tokenSigning.secret));
      return { accessToken: token };
    },
    order: async (params) => {
      const id = text(params, "paymentOrderId");
      const auth = { authorization: `Bearer ${(await login(text(params, "username"))).accessToken}` };
      const line = {
        productStockId: Number(text(params, "productStockId")),
        orderCount: Number(text(params, "orderCount")),
      };
      await call(
        "GET",
        reservePath(reserveQuery([line], { paymentOrderId: id, amount: "3000", timestamp: "20210621" })),
        auth,
      );
      const status = text(params, "status");
      if (status === "paid") await call("GET", payPath(id), auth);
      if (status === "cancelled") await call("DELETE", cancelPath(id), auth);
      return undefined;
    },
    noOrder: async () => undefined,
  };
  const handlers: Record<string, StateSetup> = {};
  for (const name of names) {
    const found = templateOf(name);
    if (found === undefined) throw new Error(`No handler for the provider state "${name}" (see contracts/README.md).`);
    handlers[name] = setups[found[0]] as StateSetup;
  }
  return {
    handlers,
    /** Runs before the first state of every interaction: a clean server (no orders, the catalog stock). */
    beforeEach: async () => {
      if (options.adminKey !== null) await call("POST", "/__admin/reset", admin());
    },
    close: () => sender.close(),
  };
}
