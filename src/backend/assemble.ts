/**
 * @module
 * Wires a given store through the service and token logic to the Hono app; web-standard, so MSW runs it too.
 */

import { defaultAdminKey, defaultAudience, defaultTokenSecret } from "../base/config/defaults.js";
import type { AllowedHosts, CorsOrigins } from "../base/config/origins.js";
import { type AccountInput, demoClient, demoUsers, type OAuthClient, toAccounts } from "./auth/accounts.js";
import { createOAuth } from "./auth/oauth.js";
import type { PasswordHasher } from "./auth/passwords.js";
import { createTokenService } from "./auth/tokens.js";
import type { ReservationRules } from "./domain/ledger.js";
import type { StockLevel } from "./domain/types.js";
import { type AppLimits, createApp, type IncidentCause } from "./http/app.js";
import { busyAware } from "./service/busy.js";
import { createStockService } from "./service/stock-service.js";
import type { LedgerStore } from "./store/port.js";
import { createTestControl } from "./test-control/index.js";

/** Everything the HTTP surface needs, given a store. Web-standard only: the MSW handlers run this in browsers. */
export interface AssemblyOptions {
  readonly store: LedgerStore;
  /** The SKUs the store is seeded with and `reset` restores. */
  readonly catalog: readonly StockLevel[];
  readonly passwords: PasswordHasher;
  readonly users?: readonly AccountInput[];
  readonly clients?: readonly OAuthClient[];
  readonly adminKey?: string | null;
  /** Browser origins allowed cross-origin (the server's `--cors`); default none (the MSW handlers share the page's origin). */
  readonly cors?: CorsOrigins | null;
  /**
   * Host names answered besides loopback names and IP addresses. Here the default is no Host check
   * (the MSW handlers run in the page); createReference, which a server listens with, defaults to [].
   */
  readonly allowedHosts?: AllowedHosts | null;
  readonly tokenSecret?: string;
  readonly audience?: string;
  readonly accessTtlSeconds?: number;
  readonly refreshTtlSeconds?: number;
  readonly rules?: Partial<ReservationRules>;
  readonly limits?: Partial<AppLimits>;
  readonly clock?: () => number;
  /**
   * Where fault rules and the request journal are kept: in this process (default), or nowhere when
   * several processes serve one port (`{ off: "--workers 2" }`: each would hold its own, so a rule set
   * through one would apply to some requests only); their routes then answer 404 naming the reason.
   */
  readonly testControlState?: "in-process" | { readonly off: string };
  /** Seed the catalog only when the store is empty (default) or always. */
  readonly seed?: "if-empty" | "always" | "never";
  readonly onUnexpected?: (error: unknown) => void;
  /** Full store, aborted bodies: reported without a stack (see AppDeps.onIncident). */
  readonly onIncident?: (cause: IncidentCause, message: string) => void;
}

export { defaultAdminKey, defaultAudience, defaultTokenSecret } from "../base/config/defaults.js";

/** Wires store → service → auth → Hono app. The app does not listen. */
export function assembleApp(options: AssemblyOptions) {
  const { store, catalog } = options;
  const clock = options.clock ?? Date.now;
  const seed = options.seed ?? "if-empty";
  if (seed === "always" || (seed === "if-empty" && store.isEmpty())) store.replaceAll(catalog);

  const secret = options.tokenSecret ?? defaultTokenSecret;
  const accounts = toAccounts(options.users ?? demoUsers, options.passwords, secret);
  const service = createStockService({ store, catalog, clock, ...(options.rules ? { rules: options.rules } : {}) });
  const byUserName = new Map(accounts.map((a) => [a.userName, a]));
  const tokens = createTokenService(
    {
      secret,
      audience: options.audience ?? defaultAudience,
      accessTtlSeconds: options.accessTtlSeconds ?? 86_399,
      refreshTtlSeconds: options.refreshTtlSeconds ?? 14 * 86_400,
      clock,
    },
    (userName) => byUserName.get(userName),
  );
  const oauth = createOAuth({
    users: accounts,
    clients: options.clients ?? [demoClient],
    tokens,
    passwords: options.passwords,
    // A busy store surfaces as the service's error, which the app answers 503 STORE_BUSY.
    spendRefreshToken: (jti, expiresAt) => busyAware(() => store.spendToken(jti, expiresAt, clock())),
  });
  const adminKey = options.adminKey === undefined ? defaultAdminKey : options.adminKey;
  // Prefer, fault rules and the journal exist where the test-control API does.
  const state = options.testControlState ?? "in-process";
  const testControl =
    adminKey === null
      ? null
      : createTestControl({ clock, ...(state === "in-process" ? {} : { offBecause: state.off }) });
  const app = createApp({
    service,
    oauth,
    tokens,
    adminKey,
    testControl,
    ...(options.cors ? { cors: options.cors } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}),
    ...(options.onIncident ? { onIncident: options.onIncident } : {}),
  });
  return { app, service, store, testControl };
}
