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
