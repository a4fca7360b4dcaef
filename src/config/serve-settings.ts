import { isIP } from "node:net";
import { defaultAdminKey } from "../assemble.js";
import { type CorsOrigins, loopbackOrigins, parseCorsOrigin } from "../http/middleware/cors.js";
import { holdTtlRange, parseDurationFlag } from "./duration.js";

/** Shorter keys are refused: they are guessable, and an empty one would let anyone reset the store. */
export const minAdminKeyLength = 12;

/** Settings of `stockproof serve`, from flags first and environment variables second. */
export interface ServeSettings {
  readonly port: number;
  readonly host: string;
  readonly db: string;
  readonly workers: number;
  readonly catalog: string | undefined;
  readonly users: string | undefined;
  /** null: the test-control API is off. */
  readonly adminKey: string | null;
  /** Where the key came from, for the banner (which never prints an explicit key). */
  readonly adminKeySource: "--admin-key" | "STOCKPROOF_ADMIN_KEY" | "demo default" | null;
  readonly holdTtlMs: number | null;
  readonly tokenSecret: string | undefined;
  readonly fresh: boolean;
  /** Log one request in N (0: none). */
  readonly logEvery: number;
  /** Share one SQLite transaction among reservations that arrive together. */
  readonly groupCommit: boolean;
  /** Checkpoint the WAL from a background thread instead of inside commits. */
  readonly backgroundCheckpoint: boolean;
  /** Browser origins allowed to call cross-origin (default: any loopback origin); null: CORS off. */
  readonly cors: CorsOrigins | null;
  readonly warnings: readonly string[];
}

export interface ServeFlags {
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  readonly db?: string | undefined;
  readonly workers?: string | undefined;
  readonly catalog?: string | undefined;
  readonly users?: string | undefined;
  readonly adminKey?: string | undefined;
  readonly admin?: boolean | undefined;
  readonly holdTtl?: string | undefined;
  readonly tokenSecret?: string | undefined;
  readonly fresh?: boolean | undefined;
  readonly logEvery?: string | undefined;
  readonly groupCommit?: boolean | undefined;
  readonly backgroundCheckpoint?: boolean | undefined;
  /** `--cors ORIGIN,…` (a string) or `--no-cors` (false). */
  readonly cors?: string | boolean | undefined;
}

export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max} (got ${text})`);
  }
  return value;
}

/** A key a client can send in a header and cannot guess: visible ASCII (header values lose outer spaces), long enough. */
function checkedAdminKey(source: string, key: string): string {
  if (key.length < minAdminKeyLength) {
    const got = key.length === 0 ? "an empty key" : `${key.length} characters`;
    throw new Error(
      `${source} must be at least ${minAdminKeyLength} characters (got ${got}): use a random value such as $(openssl rand -hex 16), or --no-admin to turn the test-control API off`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new Error(
      `${source} must be visible ASCII characters without spaces, so that a client can send it as X-Admin-Key`,
    );
  }
  return key;
}

const env = (name: string, environment: NodeJS.ProcessEnv) => {
  const value = environment[`STOCKPROOF_${name}`];
  return value === undefined || value === "" ? undefined : value;
};

/** `--cors`/STOCKPROOF_CORS: a comma-separated list ("loopback", "*", origins), or off. */
function corsOrigins(flag: string | boolean | undefined, variable: string | undefined): CorsOrigins | null {
  const text = flag === undefined || flag === true ? variable : flag;
  if (text === false || text === "off") return null;
  if (text === undefined) return [loopbackOrigins];
  const origins = text
    .split(",")
    .filter((entry) => entry.trim() !== "")
    .map(parseCorsOrigin);
  if (origins.length === 0)
    throw new Error("--cors needs at least one origin, e.g. --cors http://localhost:5173 (or --no-cors)");
  return Object.freeze(origins);
}

/** Resolves flags and STOCKPROOF_* variables into validated, frozen settings. Throws a message naming the bad value. */
export function resolveServeSettings(flags: ServeFlags, environment: NodeJS.ProcessEnv = process.env): ServeSettings {
  const warnings: string[] = [];
  const host = flags.host ?? env("HOST", environment) ?? "127.0.0.1";
  const adminOff = flags.admin === false || env("NO_ADMIN", environment) === "1";
  const envKey = env("ADMIN_KEY", environment);
  let adminKey: string | null = null;
  let adminKeySource: ServeSettings["adminKeySource"] = null;
  // An empty --admin-key is refused like a short one; an empty variable counts as unset, as every STOCKPROOF_* does.
  if (!adminOff) {
    if (flags.adminKey !== undefined) {
      adminKey = checkedAdminKey("--admin-key", flags.adminKey);
      adminKeySource = "--admin-key";
    } else if (envKey !== undefined) {
      adminKey = checkedAdminKey("STOCKPROOF_ADMIN_KEY", envKey);
      adminKeySource = "STOCKPROOF_ADMIN_KEY";
    } else if (isLoopback(host)) {
      adminKey = defaultAdminKey;
      adminKeySource = "demo default";
    } else warnings.push(`The test-control API is off: host ${host} is not loopback and no --admin-key was given.`);
  }
  const ttlFlag = flags.holdTtl === undefined ? "STOCKPROOF_HOLD_TTL" : "--hold-ttl";
  const ttl = flags.holdTtl ?? env("HOLD_TTL", environment);
  const tokenSecret = flags.tokenSecret ?? env("TOKEN_SECRET", environment);
  if (tokenSecret === undefined && !isLoopback(host)) {
    warnings.push("No --token-secret given: tokens are signed with the public development secret.");
  }
  return Object.freeze({
    port: integer("--port", flags.port ?? env("PORT", environment) ?? "8080", 0, 65_535),
    host,
    db: flags.db ?? env("DB", environment) ?? "stockproof.db",
    workers: integer("--workers", flags.workers ?? env("WORKERS", environment) ?? "1", 1, 64),
    catalog: flags.catalog ?? env("CATALOG", environment),
    users: flags.users ?? env("USERS", environment),
    adminKey,
    adminKeySource,
    holdTtlMs: ttl === undefined || ttl === "off" ? null : parseDurationFlag(ttlFlag, ttl, holdTtlRange),
    tokenSecret,
    fresh: flags.fresh === true || env("FRESH", environment) === "1",
    logEvery: integer("--log-every", flags.logEvery ?? env("LOG_EVERY", environment) ?? "0", 0, 1_000_000),
    groupCommit: flags.groupCommit !== false && env("GROUP_COMMIT", environment) !== "0",
    backgroundCheckpoint: flags.backgroundCheckpoint !== false && env("BACKGROUND_CHECKPOINT", environment) !== "0",
    cors: corsOrigins(flags.cors, env("CORS", environment)),
    warnings,
  });
}
