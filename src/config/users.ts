import { readFileSync } from "node:fs";
import type { AccountInput } from "./account-input.js";
import { UsageError } from "./errors.js";

/** Reads a users file: `{ "users": [{ "username": "…", "password": "…", "userName": "…" }] }`. */
export function loadUsers(path: string): AccountInput[] {
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
