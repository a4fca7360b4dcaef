/**
 * @module
 * The flags shared by the commands that talk to a server under test, declared and parsed one way.
 */

import { existsSync } from "node:fs";
import { defaultAdminKey, defaultReadLagMs, defaultSettleTimeoutMs, demoClient, demoUsers } from "./defaults.js";
import {
  clientTimeoutRange,
  formatDuration,
  holdTtlRange,
  parseDurationFlag,
  parseHoldTtlFlag,
  readLagRange,
} from "./duration.js";
import { UsageError } from "./errors.js";
import type { OptionSpec } from "./options.js";
import { type ListedUser, loadUsers, parseUserList } from "./users.js";

/**
 * The flags every command that talks to a server under test shares, spelled one way. A command
 * takes the entries it needs and may sharpen a description; the name, variable and default stay.
 */
export const vocabulary = {
  "read-lag": {
    type: "string",
    valueHint: "DURATION",
    description:
      "How long --snapshot's store may lag the primary (a replica): its reads must agree over this window; 0 for a store read directly",
    defaultText: formatDuration(defaultReadLagMs),
  },
  target: {
    type: "string",
    valueHint: "URL",
    required: true,
    description: "Base URL of the server under test, e.g. http://127.0.0.1:8080",
  },
  "admin-key": {
    type: "string",
    valueHint: "KEY",
    description: "X-Admin-Key of the target's test-control API",
    defaultText: defaultAdminKey,
  },
  admin: {
    type: "boolean",
    default: true,
    description: "Use the target's test-control API (--no-admin: the target has none)",
  },
  users: {
    type: "string",
    valueHint: "[ALIAS=]USER:PASSWORD,…",
    description: "Users to log in as, comma-separated; aliases buyer and other, else in order",
    defaultText: "the scenario's users",
  },
  client: {
    type: "string",
    valueHint: "ID:SECRET",
    description: "OAuth client to log in with",
    defaultText: "the scenario's client",
  },
  setup: {
    type: "string",
    valueHint: "COMMAND",
    description:
      "Shell command run before each phase that starts from the given stock, with that stock as JSON on stdin (the target's own reset)",
  },
  snapshot: {
    type: "string",
    valueHint: "COMMAND",
    description:
      'Shell command printing available stock per SKU as JSON ({"311191": 50}), read before and after each phase when the target has no test-control API',
  },
  timeout: {
    type: "string",
    valueHint: "DURATION",
    description: "Per-request timeout, from 1ms to 24d, e.g. 10s",
    defaultText: "the scenario's, else 10s",
  },
  "hold-ttl": {
    type: "string",
    valueHint: "DURATION",
    description:
      "The target releases unpaid holds this long after taking them, from 100ms to 30d, e.g. 3s, or never (it keeps them: stock that comes back is never put down to expiry)",
    defaultText: "the scenario's given.holdTtl, else holds last for ever",
  },
  "expiry-grace": {
    type: "string",
    valueHint: "DURATION",
    description: "How much later than --hold-ttl the target may release a hold (its sweep interval)",
    defaultText: "min(ttl, 1s) + 1s",
  },
  "settle-timeout": {
    type: "string",
    valueHint: "DURATION",
    description: "Read --snapshot until two reads agree, for at most this long (a replica that lags)",
    defaultText: formatDuration(defaultSettleTimeoutMs),
  },
  json: { type: "string", valueHint: "FILE", description: "Write the JSON report to this file" },
  junit: { type: "string", valueHint: "FILE", description: "Write a JUnit XML report to this file" },
  html: { type: "string", valueHint: "FILE", description: "Write a self-contained HTML report to this file" },
  progress: {
    type: "boolean",
    default: true,
    description: "Show progress on stderr (--no-progress: quiet)",
  },
} as const satisfies Record<string, OptionSpec>;

/**
 * `serve --hold-ttl`: the reference's own TTL, the same idea seen from the server. It has no
 * "never" (off is its default) and nothing to declare about a target.
 */
export const serveHoldTtl = {
  type: "string",
  valueHint: "DURATION",
  description: "Expire unpaid reservations after this long, from 100ms to 30d, e.g. 15m",
  default: "off",
} as const satisfies OptionSpec;

/** The names a command's flags are reported by: the flag, or the variable it came from. */
type Sources<K extends string> = Readonly<Record<K, string>>;

/** `serve --hold-ttl`: off (null), or a duration in holdTtlRange. */
export function parseServeHoldTtl(source: string, text: string): number | null {
  return text === "off" ? null : parseDurationFlag(source, text, holdTtlRange);
}

/** What `--hold-ttl` and `--expiry-grace` declare about the target, as the runner and the checker take it. */
export interface HoldDeclaration {
  readonly holdTtlMs?: number | "never";
  readonly expiryGraceMs?: number;
}

/** Parses `--hold-ttl` and `--expiry-grace` (either may be absent); errors name the flag or variable. */
export function holdDeclarationFrom(
  values: { readonly "hold-ttl"?: string | undefined; readonly "expiry-grace"?: string | undefined },
  from: Sources<"hold-ttl" | "expiry-grace">,
): HoldDeclaration {
  return {
    ...(values["hold-ttl"] === undefined ? {} : { holdTtlMs: parseHoldTtlFlag(from["hold-ttl"], values["hold-ttl"]) }),
    ...(values["expiry-grace"] === undefined
      ? {}
      : { expiryGraceMs: parseDurationFlag(from["expiry-grace"], values["expiry-grace"], clientTimeoutRange) }),
  };
}

/** `--timeout`: a per-request timeout, absent when not given. */
export function requestTimeoutFrom(text: string | undefined, source: string): { requestTimeoutMs?: number } {
  return text === undefined ? {} : { requestTimeoutMs: parseDurationFlag(source, text, clientTimeoutRange) };
}

/** `--settle-timeout` and `--read-lag`: how `--snapshot` is read until it settles (either may be absent). */
export function snapshotReadsFrom(
  values: { readonly "settle-timeout"?: string | undefined; readonly "read-lag"?: string | undefined },
  from: Partial<Sources<"settle-timeout" | "read-lag">>,
): { settleTimeoutMs?: number; readLagMs?: number } {
  const settle = values["settle-timeout"];
  const lag = values["read-lag"];
  return {
    ...(settle === undefined
      ? {}
      : {
          settleTimeoutMs: parseDurationFlag(from["settle-timeout"] ?? "--settle-timeout", settle, clientTimeoutRange),
        }),
    ...(lag === undefined ? {} : { readLagMs: parseDurationFlag(from["read-lag"] ?? "--read-lag", lag, readLagRange) }),
  };
}

/** `--admin-key` and `--[no-]admin`: the key to use, or null when the target's test-control API is not to be used. */
export function adminKeyFrom(values: {
  readonly admin?: boolean | undefined;
  readonly "admin-key"?: string | undefined;
}): string | null {
  return values.admin === false ? null : (values["admin-key"] ?? defaultAdminKey);
}

/** A user named on the command line: alias null means "by position". */
export type UserCredential = ListedUser;

/**
 * Parses `--users` / STOCKPROOF_USERS: comma-separated `[alias=]username:password`, e.g.
 * `buyer=alice@example.com:secret1,other=bob@example.com:secret2` — or the path of a users JSON
 * file, the one `serve --users` reads (so one STOCKPROOF_USERS serves both).
 */
export function parseUsersOption(source: string, text: string): UserCredential[] {
  if (!text.includes(":") && existsSync(text))
    return loadUsers(text).map((u) => ({ alias: null, username: u.username, password: u.password }));
  return parseUserList(source, text);
}

/** Parses `--client ID:SECRET`. */
export function parseClientOption(source: string, text: string): { id: string; secret: string } {
  const at = text.indexOf(":");
  if (at < 1) throw new UsageError(`${source} takes CLIENT_ID:SECRET (got "${text}")`);
  return { id: text.slice(0, at), secret: text.slice(at + 1) };
}

/** Checks a base URL; the message names the source and gives an example. */
export function parseTargetOption(source: string, text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${source} must be a base URL such as http://127.0.0.1:8080 (got "${text}")`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new UsageError(`${source} must be an http:// or https:// URL (got "${text}")`);
  return text;
}

/** A number > 0, e.g. --speed 60. */
export function parsePositiveOption(source: string, text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`${source} must be a positive number, e.g. 60 (got "${text}")`);
  return n;
}

/** A whole number in [min, max]. */
export function parseIntegerOption(source: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (text.trim() === "" || !Number.isInteger(value) || value < min || value > max)
    throw new UsageError(`${source} must be an integer from ${min} to ${max} (got ${text})`);
  return value;
}

/** The demo users as `--users` values, for help texts. */
export const demoUsersText = `the demo users (${demoUsers.map((u) => `${u.alias}=${u.username}`).join(", ")})`;
export const demoClientText = `${demoClient.id}:${demoClient.secret}`;
