import { hashPassword } from "./passwords.js";

/** A user who can log in with the password grant. Orders belong to `userName` (the token's user_name). */
export interface UserAccount {
  readonly username: string;
  readonly userName: string;
  readonly passwordHash: string;
  readonly authorities: readonly string[];
}

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Scopes the client may ask for; a token gets these when it asks for none. */
  readonly scopes: readonly string[];
}

export interface AccountInput {
  readonly username: string;
  readonly password: string;
  readonly userName?: string;
}

export const demoClient: OAuthClient = { clientId: "clientapp", clientSecret: "secret", scopes: ["read", "write"] };

/** Demo users; user_name follows the seed's numeric shape. */
export const demoUsers: readonly AccountInput[] = [
  { username: "buyer@example.com", password: "buyer-password", userName: "144602" },
  { username: "other@example.com", password: "other-password", userName: "144603" },
];

export function toAccounts(inputs: readonly AccountInput[]): UserAccount[] {
  return inputs.map((input) => ({
    username: input.username,
    userName: input.userName ?? input.username,
    passwordHash: hashPassword(input.password),
    authorities: ["ROLE_USER"],
  }));
}
