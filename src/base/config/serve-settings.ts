/**
 * @module
 * The options of `stockproof serve`, validated into frozen settings; errors name the flag or variable.
 */

import { isIP } from "node:net";
import { defaultAdminKey, defaultDb, defaultHost, defaultServePort } from "./defaults.js";
import { UsageError } from "./errors.js";
import { type Environment, type OptionTable, type ResolvedOptions, resolveOptions } from "./options.js";
import { type AllowedHosts, anyHost, anyOrigin, type CorsOrigins, parseCorsOrigin } from "./origins.js";
import { parseIntegerOption, parseServeHoldTtl, serveHoldTtl } from "./vocabulary.js";

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
  /** Browser origins allowed cross-origin ("loopback", "*", origins); null: no CORS headers. */
  readonly cors: CorsOrigins | null;
  /** Host names answered besides loopback names and IP addresses: `--allowed-hosts` and a named `--host`. */
  readonly allowedHosts: AllowedHosts;
  /** Open sockets per server process: above 3/4 of it requests get 503, above it sockets are dropped. */
  readonly maxConnections: number;
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
  readonly allowedHosts?: string | undefined;
  readonly maxConnections?: string | undefined;
}

/**
 * Bounds of --max-connections. Below 8 the 503 threshold (3/4 of it) leaves a client almost no
 * sockets; above a million, the worst case of 64 KiB of header buffer a socket is 61 GiB.
 */
export const maxConnectionsRange = { min: 8, max: 1_000_000 } as const;

export function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1";
}

/** A key a client can send in a header and cannot guess: visible ASCII (header values lose outer spaces), long enough. */
function checkedAdminKey(source: string, key: string): string {
  if (key.length < minAdminKeyLength) {
    const got = key.length === 0 ? "an empty key" : `${key.length} characters`;
    throw new UsageError(
      `${source} must be at least ${minAdminKeyLength} characters (got ${got}): use a random value such as $(openssl rand -hex 16), or --no-admin to turn the test-control API off`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(key)) {
    throw new UsageError(
      `${source} must be visible ASCII characters without spaces, so that a client can send it as X-Admin-Key`,
    );
  }
  return key;
}

/** The options of `stockproof serve`; each also reads its STOCKPROOF_* variable. */
export const serveOptions = {
  port: {
    type: "string",
    valueHint: "PORT",
    description: "Port to listen on (0: any free port)",
    default: String(defaultServePort),
  },
  host: { type: "string", valueHint: "HOST", description: "Host to bind", default: defaultHost },
  db: { type: "string", valueHint: "FILE", description: "SQLite file, or :memory:", default: defaultDb },
  workers: {
    type: "string",
    valueHint: "N",
    description: "Server processes sharing the port and the database file, 1 to 64",
    default: "1",
  },
  catalog: {
    type: "string",
    valueHint: "FILE",
    description: "Catalog JSON file to seed and reset to",
    defaultText: "the demo catalog",
  },
  users: {
    type: "string",
    valueHint: "FILE|[ALIAS=]USER:PASSWORD,…",
    description: "Users JSON file, or a comma-separated list as --users of the other commands",
    defaultText: "the demo users",
  },
  "admin-key": {
    type: "string",
    valueHint: "KEY",
    description: "Key of the test-control API, at least 12 visible ASCII characters",
    defaultText: `${defaultAdminKey} on loopback, else off`,
  },
  admin: { type: "boolean", default: true, description: "Serve the test-control API (--no-admin turns it off)" },
  "hold-ttl": serveHoldTtl,
  "token-secret": {
    type: "string",
    valueHint: "SECRET",
    description: "HS256 signing secret of the tokens (at least 32 characters recommended)",
    defaultText: "a random secret made on first start and kept in the database",
  },
  fresh: {
    type: "boolean",
    description: "Reset the database to the catalog on start; refused while another process has it open",
  },
  "log-every": { type: "string", valueHint: "N", description: "Log one request in N (0: none)", default: "0" },
  "group-commit": {
    type: "boolean",
    default: true,
    description: "Share one SQLite transaction among reservations arriving together (--no-group-commit: one each)",
  },
  "background-checkpoint": {
    type: "boolean",
    default: true,
    description: "Checkpoint the SQLite WAL from a background thread, not inside commits",
  },
  cors: {
    type: "string",
    valueHint: "ORIGINS",
    negatable: true,
    description:
      'Browser origins allowed to call the API cross-origin, comma-separated: origins (scheme://host[:port]), "loopback" (localhost, 127.x.x.x, [::1] on any port) or "*"; --no-cors or "off" turns CORS off',
    default: "loopback",
  },
  "allowed-hosts": {
    type: "string",
    valueHint: "HOSTS",
    description:
      'Host names the server answers to besides localhost, *.localhost, IP addresses and a named --host, comma-separated: names, ".domain" for a domain and its subdomains, or "*" for any (turns the DNS-rebinding guard off); other Host headers get 421',
    defaultText: "none",
  },
  "max-connections": {
    type: "string",
    valueHint: "N",
    description: `Open sockets per server process, ${maxConnectionsRange.min} to ${maxConnectionsRange.max}: above 3/4 of N a request is answered 503 with Retry-After, above N a new socket is closed unread. Each socket costs at most its 64 KiB header buffer while a request arrives: N × 64 KiB in the worst case (8192: 512 MiB)`,
    default: "8192",
  },
} as const satisfies OptionTable;

/** `--cors`/STOCKPROOF_CORS: a comma-separated list ("loopback", "*", origins), or off. */
function corsOrigins(source: string, text: string): CorsOrigins | null {
  if (text.trim() === "off") return null;
  try {
    const origins = text
      .split(",")
      .filter((entry) => entry.trim() !== "")
      .map(parseCorsOrigin);
    if (origins.length === 0) throw new Error("--cors needs at least one origin, e.g. --cors http://localhost:5173");
    return Object.freeze(origins);
  } catch (error) {
    const message = (error as Error).message.replace(/^--cors/, source);
    throw new UsageError(`${message} (or --no-cors to turn CORS off)`);
  }
}

const hostEntry = /^\.?[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;

/** `--allowed-hosts`/STOCKPROOF_ALLOWED_HOSTS, plus the name `--host` binds (an address needs no entry). */
function allowedHosts(source: string, text: string | undefined, host: string): AllowedHosts {
  const entries = (text ?? "")
    .split(",")
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== "");
  for (const entry of entries) {
    if (entry !== anyHost && !hostEntry.test(entry)) {
      throw new UsageError(
        `${source}: ${JSON.stringify(entry)} is not a host name; give names without scheme or port (e.g. shop.test), ".shop.test" for a domain and its subdomains, or "*"`,
      );
    }
  }
  const bound = host.toLowerCase();
  if (isIP(bound) === 0 && hostEntry.test(bound) && !entries.includes(bound)) entries.push(bound);
  return Object.freeze(entries);
}

/** Validates resolved options (flag, else variable, else default) into frozen settings; errors name the flag or variable. */
export function serveSettingsFrom({ values, from }: ResolvedOptions<typeof serveOptions>): ServeSettings {
  const warnings: string[] = [];
  const host = values.host;
  let adminKey: string | null = null;
  let adminKeySource: ServeSettings["adminKeySource"] = null;
  // An empty --admin-key is refused like a short one; an empty variable counts as unset, as every STOCKPROOF_* does.
  if (values.admin) {
    if (values["admin-key"] !== undefined) {
      const source = from["admin-key"] === "--admin-key" ? "--admin-key" : "STOCKPROOF_ADMIN_KEY";
      adminKey = checkedAdminKey(source, values["admin-key"]);
      adminKeySource = source;
    } else if (isLoopback(host)) {
      adminKey = defaultAdminKey;
      adminKeySource = "demo default";
    } else warnings.push(`The test-control API is off: host ${host} is not loopback and no --admin-key was given.`);
  }
  const cors = corsOrigins(from.cors, values.cors);
  if (cors?.includes(anyOrigin)) {
    warnings.push(
      `CORS is open to every origin (${from.cors} *): any web site you visit can call this server from your browser, log in with the demo users and reserve or cancel stock. The test-control API stays closed to pages of other origins (only origins listed one by one with --cors may use X-Admin-Key). List your app's origin instead, e.g. --cors http://localhost:5173.`,
    );
  }
  const hosts = allowedHosts(from["allowed-hosts"], values["allowed-hosts"], host);
  if (hosts.includes(anyHost)) {
    warnings.push(
      `${from["allowed-hosts"]} * turns the DNS-rebinding guard off: a web page that points its own name at this machine can call the server.`,
    );
  }
  const ttl = values["hold-ttl"];
  const tokenSecret = values["token-secret"];
  return Object.freeze({
    port: parseIntegerOption(from.port, values.port, 0, 65_535),
    host,
    db: values.db,
    workers: parseIntegerOption(from.workers, values.workers, 1, 64),
    catalog: values.catalog,
    users: values.users,
    adminKey,
    adminKeySource,
    holdTtlMs: parseServeHoldTtl(from["hold-ttl"], ttl),
    tokenSecret,
    fresh: values.fresh,
    logEvery: parseIntegerOption(from["log-every"], values["log-every"], 0, 1_000_000),
    groupCommit: values["group-commit"],
    backgroundCheckpoint: values["background-checkpoint"],
    cors,
    allowedHosts: hosts,
    maxConnections: parseIntegerOption(
      from["max-connections"],
      values["max-connections"],
      maxConnectionsRange.min,
      maxConnectionsRange.max,
    ),
    warnings,
  });
}

/** Resolves flags and STOCKPROOF_* variables into validated, frozen settings. Throws a UsageError naming the bad value. */
export function resolveServeSettings(flags: ServeFlags, environment: Environment = process.env): ServeSettings {
  const kebab: Record<string, unknown> = {
    port: flags.port,
    host: flags.host,
    db: flags.db,
    workers: flags.workers,
    catalog: flags.catalog,
    users: flags.users,
    "admin-key": flags.adminKey,
    admin: flags.admin,
    "hold-ttl": flags.holdTtl,
    "token-secret": flags.tokenSecret,
    fresh: flags.fresh,
    "log-every": flags.logEvery,
    "group-commit": flags.groupCommit,
    "background-checkpoint": flags.backgroundCheckpoint,
    cors: flags.cors,
    "allowed-hosts": flags.allowedHosts,
    "max-connections": flags.maxConnections,
  };
  return serveSettingsFrom(resolveOptions(serveOptions, kebab, environment));
}
