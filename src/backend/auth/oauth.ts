/**
 * @module
 * The token endpoint's logic (password and refresh grants, RFC 6749 errors), independent of HTTP.
 */

import type { OAuthClient, UserAccount } from "./accounts.js";
import { decodeBase64Text } from "./base64url.js";
import { safeEqual } from "./constant-time.js";
import type { PasswordHasher } from "./passwords.js";
import type { IssuedTokens, TokenService } from "./tokens.js";

export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unsupported_grant_type"
  | "invalid_scope";

export type TokenOutcome =
  | { readonly ok: true; readonly body: IssuedTokens }
  | { readonly ok: false; readonly status: 400 | 401; readonly error: OAuthErrorCode; readonly description: string };

export interface OAuthOptions {
  readonly users: readonly UserAccount[];
  readonly clients: readonly OAuthClient[];
  readonly tokens: TokenService;
  /** The hasher that produced the users' password hashes. */
  readonly passwords: PasswordHasher;
  /**
   * Marks a refresh token (its jti, valid until `expiresAt` epoch ms) as used; true only the first
   * time, across every process serving the same data. Refresh tokens are single-use (rotation).
   */
  readonly spendRefreshToken: (jti: string, expiresAt: number) => boolean;
}

const fail = (status: 400 | 401, error: OAuthErrorCode, description: string): TokenOutcome => ({
  ok: false,
  status,
  error,
  description,
});

type ClientCredentials = { id: string; secret: string } | { error: string } | undefined;

function basicCredentials(header: string | undefined): ClientCredentials {
  if (header === undefined) return undefined;
  // RFC 7235 §2.1: the scheme name is case-insensitive and 1*SP separates it from the credentials.
  const match = /^Basic +([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (match === null) return { error: "The Authorization header is not HTTP Basic." };
  const decoded = decodeBase64Text(match[1] as string);
  const colon = decoded.indexOf(":");
  if (colon < 0) return { error: "The Basic credentials lack a colon between client id and secret." };
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/** The token endpoint's logic (RFC 6749 §4.3, §6), independent of HTTP. */
export function createOAuth(options: OAuthOptions) {
  const byUsername = new Map(options.users.map((u) => [u.username, u]));
  const byUserName = new Map(options.users.map((u) => [u.userName, u]));
  // Verified against when the username is unknown, so a wrong username costs as long as a wrong password.
  const decoyHash = options.passwords.hash("decoy password for unknown usernames");

  const authenticateClient = (
    form: Record<string, string>,
    authorization: string | undefined,
  ): OAuthClient | TokenOutcome => {
    let basic: ClientCredentials;
    try {
      basic = basicCredentials(authorization);
    } catch {
      basic = { error: "The Basic credentials are not base64 of the URL-encoded client_id:client_secret." };
    }
    if (basic !== undefined && "error" in basic) return fail(401, "invalid_client", basic.error);
    if (basic !== undefined && form.client_secret !== undefined) {
      return fail(400, "invalid_request", "Authenticate the client with HTTP Basic or with form fields, not both.");
    }
    const id = basic?.id ?? form.client_id;
    const secret = basic?.secret ?? form.client_secret;
    if (id === undefined || secret === undefined) return fail(401, "invalid_client", "Client authentication failed.");
    const client = options.clients.find((c) => c.clientId === id);
    const matches = safeEqual(secret, client?.clientSecret ?? "\u0000");
    if (client === undefined || !matches) return fail(401, "invalid_client", "Client authentication failed.");
    return client;
  };

  const grantedScopes = (asked: string | undefined, allowed: readonly string[]): string[] | TokenOutcome => {
    if (asked === undefined || asked.trim() === "") return [...allowed];
    const scopes = [...new Set(asked.trim().split(/\s+/))];
    const extra = scopes.filter((s) => !allowed.includes(s));
    if (extra.length > 0) return fail(400, "invalid_scope", `Scope not allowed: ${extra.join(" ")}.`);
    return scopes;
  };

  return {
    findUser: (userName: string) => byUserName.get(userName),

    async token(form: Record<string, string>, authorization: string | undefined): Promise<TokenOutcome> {
      const client = authenticateClient(form, authorization);
      if ("ok" in client) return client;
      const grant = form.grant_type;
      if (grant === undefined || grant === "") return fail(400, "invalid_request", "grant_type is required.");

      if (grant === "password") {
        const { username, password } = form;
        if (username === undefined || password === undefined) {
          return fail(400, "invalid_request", "The password grant needs username and password.");
        }
        const user = byUsername.get(username);
        const valid = await options.passwords.verify(password, await (user?.passwordHash ?? decoyHash));
        if (user === undefined || !valid) return fail(400, "invalid_grant", "Bad credentials");
        const scopes = grantedScopes(form.scope, client.scopes);
        if (!Array.isArray(scopes)) return scopes;
        return { ok: true, body: await options.tokens.issue(user, client.clientId, scopes) };
      }

      if (grant === "refresh_token") {
        if (form.refresh_token === undefined) return fail(400, "invalid_request", "refresh_token is required.");
        const refresh = await options.tokens.verifyRefresh(form.refresh_token);
        if (!refresh.ok) return fail(400, "invalid_grant", `Invalid refresh token: ${refresh.reason}`);
        if (refresh.clientId !== client.clientId)
          return fail(400, "invalid_grant", "The refresh token was issued to another client.");
        const user = byUserName.get(refresh.userName);
        if (user === undefined) return fail(400, "invalid_grant", "The refresh token's user no longer exists.");
        const scopes = grantedScopes(form.scope, refresh.scopes);
        if (!Array.isArray(scopes)) return scopes;
        // Spent last, so a request refused for another reason leaves the token usable.
        if (!options.spendRefreshToken(refresh.jti, refresh.expiresAt)) {
          return fail(
            400,
            "invalid_grant",
            "The refresh token has already been used: each refresh answer carries a new refresh_token; use that one, or log in again.",
          );
        }
        return { ok: true, body: await options.tokens.issue(user, client.clientId, scopes) };
      }

      return fail(400, "unsupported_grant_type", `Unsupported grant_type ${grant}: use password or refresh_token.`);
    },
  };
}

export type OAuth = ReturnType<typeof createOAuth>;
