/**
 * Every default of stockproof, written once: the demo data the reference serves and the verifying
 * commands log in with, the test-control key, and where things listen. Pure constants, so the MSW
 * handlers can import them in a browser.
 */

/** The OAuth client of the demo data. */
export const demoClient = { id: "clientapp", secret: "secret" } as const;

/** The demo users; `alias` is how scenarios and `--users buyer=…,other=…` name them. */
export const demoUsers = [
  { alias: "buyer", username: "buyer@example.com", password: "buyer-password", userName: "144602" },
  { alias: "other", username: "other@example.com", password: "other-password", userName: "144603" },
] as const;

/** The test-control API's key on loopback when none is given (`X-Admin-Key`). */
export const defaultAdminKey = "stockproof-admin";
export const defaultAudience = "stockproof-api";
/**
 * Published, so never a server's default (`serve` makes a random secret and keeps it in the
 * database): only the MSW handlers, which run inside the page, and `verify`'s forged tokens use it.
 */
export const defaultTokenSecret = "stockproof-development-signing-secret";

export const defaultHost = "127.0.0.1";
export const defaultServePort = 8080;
export const defaultMockPort = 4010;
export const defaultDb = "stockproof.db";

/** The SKU `conform` drives: the seed's product, 50 units in the demo catalog. */
export const demoSku = { productStockId: 311191, productId: 219622, color: "BLACK", size: "L" } as const;

/** How long `--snapshot` is read until two reads agree (a replica that lags), when not told. */
export const defaultSettleTimeoutMs = 5_000;
/** How long a --snapshot may lag the primary when not told [1 s: a replica refreshed about once a second]. */
export const defaultReadLagMs = 1_000;
