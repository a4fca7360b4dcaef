/**
 * @module
 * Who can log in: the demo OAuth client and users, and configured users as accounts with hashed passwords.
 */

import type { AccountInput } from "../../base/config/account-input.js";
import * as defaults from "../../base/config/defaults.js";
import { credentialVersion, passwordSalt } from "./credential-version.js";
import type { PasswordHasher } from "./passwords.js";

/** The account shape configuration gives (a users file, the demo users); defined with the users file it is read from. */
export type { AccountInput };

/** A user who can log in with the password grant. Orders belong to `userName` (the token's user_name). */
export interface UserAccount {
  readonly username: string;
  readonly userName: string;
  /** `scheme$salt$hash` from a PasswordHasher; a promise because hashing is asynchronous. */
  readonly passwordHash: Promise<string>;
  /** Derived from the password hash; tokens carry it and are refused once it changes (credential-version.ts). */
  readonly credentialVersion: Promise<string>;
  readonly authorities: readonly string[];
}

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Scopes the client may ask for; a token gets these when it asks for none. */
  readonly scopes: readonly string[];
}

export const demoClient: OAuthClient = {
  clientId: defaults.demoClient.id,
  clientSecret: defaults.demoClient.secret,
  scopes: ["read", "write"],
};

/** Demo users; user_name follows the seed's numeric shape. */
export const demoUsers: readonly AccountInput[] = defaults.demoUsers.map(({ username, password, userName }) => ({
  username,
  password,
  userName,
}));

/**
 * Accounts with hashed passwords; hashing starts now and is awaited at the first login. The salt
 * comes from `secret` and the username, so every process sharing the secret derives the same hash.
 */
export function toAccounts(inputs: readonly AccountInput[], passwords: PasswordHasher, secret: string): UserAccount[] {
  return inputs.map((input) => {
    const passwordHash = passwordSalt(secret, input.username).then((salt) => passwords.hash(input.password, salt));
    return {
      username: input.username,
      userName: input.userName ?? input.username,
      passwordHash,
      credentialVersion: passwordHash.then(credentialVersion),
      authorities: ["ROLE_USER"],
    };
  });
}
