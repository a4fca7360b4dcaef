import { readFileSync } from "node:fs";
import type { AccountInput } from "../auth/accounts.js";
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
  return users.map((user: unknown, index) => {
    const { username, password, userName } = (user ?? {}) as Record<string, unknown>;
    if (typeof username !== "string" || typeof password !== "string") {
      throw new UsageError(`${path}: users[${index}] needs string username and password`);
    }
    if (userName !== undefined && typeof userName !== "string")
      throw new UsageError(`${path}: users[${index}].userName must be a string`);
    return userName === undefined ? { username, password } : { username, password, userName };
  });
}
