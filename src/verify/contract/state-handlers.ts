/**
 * @module
 * Pact state handlers for any server with this API, set up through the catalogue's calls.
 */

import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { createGivens, type Exec } from "../calls/givens.js";
import { type CatalogueSettings, demoSettings, login, reset, setStock } from "../calls/index.js";
import { setStockRequest } from "../calls/requests.js";
import { createSender } from "./exchange.js";
import { templateOf } from "./provider-states.js";

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
 * Each state is set up with the catalogue's calls (log in, reserve, pay, cancel, set stock, reset),
 * each checked against the catalogue's expected answer.
 */
export function createStateHandlers(options: StateHandlerOptions, names: readonly string[]) {
  const sender = createSender({ connections: 8 });
  const base = options.providerBaseUrl.replace(/\/$/, "");
  const exec: Exec = (_c, request) => sender.send(base, request);
  const settings: CatalogueSettings = {
    ...demoSettings,
    client: options.client,
    other: null,
    adminKey: options.adminKey,
  };
  const givens = (buyer = settings.buyer) =>
    createGivens({ settings: { ...settings, buyer }, exec, nextId: () => `state-${randomUUID()}` });
  /** The catalogue's set-up as `username` (the password given, or the one the options know). */
  const as = (username: string, given?: string) => {
    const password = given ?? options.passwords[username];
    if (password === undefined) throw new Error(`no password known for ${username} (--user ${username}:PASSWORD)`);
    return givens({ username, password });
  };
  const adminKey = () => {
    if (options.adminKey === null) throw new Error("this state needs the test-control API (--admin-key)");
    return options.adminKey;
  };
  const tokens = async (username: string, password?: string) => {
    const body = (await as(username, password).step(login, {}, `${username} logged in`)).body as Record<
      string,
      unknown
    >;
    return { accessToken: String(body.access_token), refreshToken: String(body.refresh_token) };
  };
  const setups: Record<string, StateSetup> = {
    userCanLogIn: async (params) => {
      // The state claims this password works: check exactly that.
      await tokens(text(params, "username"), text(params, "password"));
      return undefined;
    },
    skuHasUnits: async (params) => {
      const items = [
        { productStockId: Number(text(params, "productStockId")), quantity: Number(text(params, "units")) },
      ];
      await givens().step(setStock, {}, "the SKU's units", setStockRequest(adminKey(), items));
      return undefined;
    },
    loggedIn: async (params) => ({ accessToken: (await tokens(text(params, "username"))).accessToken }),
    holdsRefreshToken: async (params) => ({ refreshToken: (await tokens(text(params, "username"))).refreshToken }),
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
      const username = text(params, "username");
      const { accessToken } = await tokens(username);
      const status = text(params, "status") as "reserved" | "paid" | "cancelled";
      const line = {
        productStockId: Number(text(params, "productStockId")),
        orderCount: Number(text(params, "orderCount")),
      };
      await as(username).order(status, accessToken, text(params, "paymentOrderId"), [line]);
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
      if (options.adminKey !== null) await givens().step(reset, { adminKey: options.adminKey }, "a reset");
    },
    close: () => sender.close(),
  };
}
