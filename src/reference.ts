import { type AccountInput, demoClient, demoUsers, type OAuthClient, toAccounts } from "./auth/accounts.js";
import { createOAuth } from "./auth/oauth.js";
import { createTokenService } from "./auth/tokens.js";
import { loadCatalog } from "./config/catalog.js";
import type { ReservationRules } from "./domain/ledger.js";
import type { StockLevel } from "./domain/types.js";
import { type AppLimits, createApp } from "./http/app.js";
import { createStockService } from "./service/stock-service.js";
import { createMemoryStore } from "./store/memory.js";
import type { LedgerStore } from "./store/port.js";
import { createSqliteStore } from "./store/sqlite/store.js";

export interface ReferenceOptions {
  /** SQLite file path, ":memory:", or "memory" for the in-memory store. */
  readonly db?: string;
  readonly catalog?: readonly StockLevel[];
  readonly users?: readonly AccountInput[];
  readonly clients?: readonly OAuthClient[];
  readonly adminKey?: string | null;
  readonly tokenSecret?: string;
  readonly audience?: string;
  readonly accessTtlSeconds?: number;
  readonly refreshTtlSeconds?: number;
  readonly rules?: Partial<ReservationRules>;
  readonly limits?: Partial<AppLimits>;
  readonly clock?: () => number;
  /** Seed the catalog only when the database is new (default) or always. */
  readonly seed?: "if-empty" | "always" | "never";
  readonly onUnexpected?: (error: unknown) => void;
  /** SQLite only: share one transaction among reservations arriving together (default true). */
  readonly groupCommit?: boolean;
  /** SQLite only: how long a writer waits for the lock before STORE_BUSY. */
  readonly busyTimeoutMs?: number;
}

export const defaultAdminKey = "stockproof-admin";
export const defaultAudience = "stockproof-api";

/** Wires store → service → auth → Hono app. The app does not listen. */
export function createReference(options: ReferenceOptions = {}) {
  const catalog = options.catalog ?? loadCatalog();
  const clock = options.clock ?? Date.now;
  const store: LedgerStore =
    options.db === "memory"
      ? createMemoryStore()
      : createSqliteStore({
          path: options.db ?? ":memory:",
          ...(options.groupCommit === undefined ? {} : { groupCommit: options.groupCommit }),
          ...(options.busyTimeoutMs === undefined ? {} : { busyTimeoutMs: options.busyTimeoutMs }),
        });
  const seed = options.seed ?? "if-empty";
  if (seed === "always" || (seed === "if-empty" && store.isEmpty())) store.replaceAll(catalog);

  const accounts = toAccounts(options.users ?? demoUsers);
  const service = createStockService({ store, catalog, clock, ...(options.rules ? { rules: options.rules } : {}) });
  const byUserName = new Map(accounts.map((a) => [a.userName, a]));
  const tokens = createTokenService(
    {
      secret: options.tokenSecret ?? "stockproof-development-signing-secret",
      audience: options.audience ?? defaultAudience,
      accessTtlSeconds: options.accessTtlSeconds ?? 86_399,
      refreshTtlSeconds: options.refreshTtlSeconds ?? 14 * 86_400,
      clock,
    },
    (userName) => byUserName.get(userName),
  );
  const oauth = createOAuth({ users: accounts, clients: options.clients ?? [demoClient], tokens });
  const app = createApp({
    service,
    oauth,
    tokens,
    adminKey: options.adminKey === undefined ? defaultAdminKey : options.adminKey,
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}),
  });
  return { app, service, store, close: () => store.close() };
}

export type Reference = ReturnType<typeof createReference>;
