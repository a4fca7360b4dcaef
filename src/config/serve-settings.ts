import { isIP } from "node:net";
import { type CorsOrigins, loopbackOrigins, parseCorsOrigin } from "../http/middleware/cors.js";
import { parseDuration } from "./duration.js";

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
  const explicitKey = flags.adminKey ?? env("ADMIN_KEY", environment);
  let adminKey: string | null = null;
  if (!adminOff) {
    if (explicitKey !== undefined) adminKey = explicitKey;
    else if (isLoopback(host)) adminKey = "stockproof-admin";
    else warnings.push(`The test-control API is off: host ${host} is not loopback and no --admin-key was given.`);
  }
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
    holdTtlMs: ttl === undefined || ttl === "off" ? null : parseDuration(ttl),
    tokenSecret,
    fresh: flags.fresh === true || env("FRESH", environment) === "1",
    logEvery: integer("--log-every", flags.logEvery ?? env("LOG_EVERY", environment) ?? "0", 0, 1_000_000),
    groupCommit: flags.groupCommit !== false && env("GROUP_COMMIT", environment) !== "0",
    backgroundCheckpoint: flags.backgroundCheckpoint !== false && env("BACKGROUND_CHECKPOINT", environment) !== "0",
    cors: corsOrigins(flags.cors, env("CORS", environment)),
    warnings,
  });
}
