/**
 * @module
 * The users list every command reads (`[alias=]user:password,…`) and the users file `serve` loads.
 */

import { existsSync, readFileSync } from "node:fs";
import type { AccountInput } from "./account-input.js";
import { UsageError } from "./errors.js";

/** A user named in a list: alias null means "by position". */
export interface ListedUser {
  readonly alias: string | null;
  readonly username: string;
  readonly password: string;
}

/**
 * Parses the users list every command reads the same way (`--users`, STOCKPROOF_USERS):
 * comma-separated `[alias=]username:password`, e.g. `buyer=alice@example.com:secret1,bob@example.com:pw`.
 * `source` names the flag or variable in messages.
 */
export function parseUserList(source: string, text: string): ListedUser[] {
  const users: ListedUser[] = [];
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const eq = part.indexOf("=");
    const colon = part.indexOf(":", eq + 1);
    const alias = eq > 0 && eq < colon ? part.slice(0, eq) : null;
    const rest = alias === null ? part : part.slice(eq + 1);
    const split = rest.indexOf(":");
    if (split <= 0)
      throw new UsageError(
        `${source} entry "${part}" must be [alias=]username:password, or the whole value the path of a users JSON file`,
      );
    users.push({ alias, username: rest.slice(0, split), password: rest.slice(split + 1) });
  }
  if (users.length === 0) throw new UsageError(`${source} names no user; give [alias=]username:password,…`);
  return users;
}

/**
 * The users `serve` gives accounts to: a users JSON file, or the same `[alias=]USER:PASSWORD,…` list
 * the verifying commands read, so one STOCKPROOF_USERS serves the reference and logs in to it.
 */
export function loadUsers(path: string, source = "--users"): AccountInput[] {
  if (!existsSync(path) && path.includes(":"))
    return parseUserList(source, path).map(({ username, password }) => ({ username, password }));
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new UsageError(`${path} is not a readable JSON users file: ${(error as Error).message}`);
  }
  const users = (data as { users?: unknown }).users;
  if (!Array.isArray(users)) throw new UsageError(`${path}: expected { "users": [ … ] }`);
  const accounts = users.map((user: unknown, index) => {
    const { username, password, userName } = (user ?? {}) as Record<string, unknown>;
    if (typeof username !== "string" || typeof password !== "string") {
      throw new UsageError(`${path}: users[${index}] needs string username and password`);
    }
    if (userName !== undefined && typeof userName !== "string")
      throw new UsageError(`${path}: users[${index}].userName must be a string`);
    return userName === undefined ? { username, password } : { username, password, userName };
  });
  refuseDuplicates(path, accounts);
  return accounts;
}

/**
 * Two entries with one username would let the last win silently; two with one userName (the
 * token's user_name, which owns orders) would share orders and revoke each other's tokens.
 */
function refuseDuplicates(path: string, accounts: readonly AccountInput[]): void {
  const seen = { username: new Map<string, number>(), userName: new Map<string, number>() };
  accounts.forEach((account, index) => {
    const keys = { username: account.username, userName: account.userName ?? account.username };
    for (const field of ["username", "userName"] as const) {
      const first = seen[field].get(keys[field]);
      if (first !== undefined) {
        const implicit = field === "userName" && account.userName === undefined ? " (from its username)" : "";
        throw new UsageError(
          `${path}: users[${index}] has the ${field} ${JSON.stringify(keys[field])}${implicit} of users[${first}]; each user needs its own ${field}`,
        );
      }
      seen[field].set(keys[field], index);
    }
  });
}
