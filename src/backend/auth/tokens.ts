/**
 * @module
 * Issues and verifies HS256 access and refresh tokens in the seed's claim shape; a password change revokes them.
 */

import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { UserAccount } from "./accounts.js";
import { isCanonicalCompactJws } from "./base64url.js";

export interface TokenSettings {
  readonly secret: string;
  readonly audience: string;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  readonly clock: () => number;
}

/** Who an access token speaks for. */
export interface Principal {
  readonly userName: string;
  readonly username: string;
  readonly scopes: readonly string[];
  readonly clientId: string;
  readonly expiresAt: number;
}

export type TokenCheck =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: string };

export interface IssuedTokens {
  readonly access_token: string;
  readonly token_type: "bearer";
  readonly refresh_token: string;
  readonly expires_in: number;
  readonly scope: string;
  readonly jti: string;
}

interface Claims {
  readonly user_name?: unknown;
  readonly scope?: unknown;
  readonly client_id?: unknown;
  readonly ati?: unknown;
  readonly jti?: unknown;
  readonly exp?: unknown;
  readonly credential_version?: unknown;
}

/** A verified refresh token: what the grant needs, and the jti and expiry that make it single-use. */
export interface RefreshGrant {
  readonly userName: string;
  readonly clientId: string;
  readonly scopes: string[];
  readonly jti: string;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
}

/** Verified access tokens kept until they expire, so a load test does not pay an HMAC per request. */
const cacheLimit = 10_000;

export interface TokenService {
  issue(user: UserAccount, clientId: string, scopes: readonly string[]): Promise<IssuedTokens>;
  verifyAccess(token: string): Promise<TokenCheck>;
  verifyRefresh(token: string): Promise<({ ok: true } & RefreshGrant) | { ok: false; reason: string }>;
}

class NonCanonicalToken extends Error {}

function describe(error: unknown): string {
  if (error instanceof NonCanonicalToken)
    return "The token is not canonical base64url: send it exactly as issued (no padding, no other spelling).";
  if (error instanceof joseErrors.JWTExpired) return "The token has expired.";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not valid.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "The token is not signed with HS256.";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "The token's signature is not valid.";
  return "The token is malformed.";
}

/** The signing key, imported once per service. */
type KeyPromise = Promise<CryptoKey>;

// A CryptoKey from the global WebCrypto, not the secret's bytes: jose checks raw keys with
// `instanceof Uint8Array`, which fails when the bytes come from another realm (vitest's jsdom
// environment swaps the page's globals in). A CryptoKey is recognised in any realm.
function importKey(secret: string): KeyPromise {
  return globalThis.crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/** The token's claims once its spelling, signature, algorithm, audience and expiry are checked. */
async function verifyClaims(token: string, key: KeyPromise, settings: TokenSettings): Promise<Claims> {
  // jose decodes base64url leniently (padding, set unused bits): refuse those spellings first, so
  // that a token has one spelling and a cache or denylist keyed by the string cannot be sidestepped.
  if (!isCanonicalCompactJws(token)) throw new NonCanonicalToken();
  return (
    await jwtVerify<Claims>(token, await key, {
      algorithms: ["HS256"],
      audience: settings.audience,
      currentDate: new Date(settings.clock()),
    })
  ).payload;
}

/** The token's user, if they still exist and the token was issued under their current password. */
async function holder(
  findUser: (userName: string) => UserAccount | undefined,
  userName: string,
  claims: Claims,
  kind: string,
): Promise<{ ok: true; user: UserAccount } | { ok: false; reason: string }> {
  const user = findUser(userName);
  if (user === undefined) return { ok: false, reason: `The ${kind}'s user no longer exists.` };
  if (claims.credential_version !== (await user.credentialVersion)) {
    return { ok: false, reason: `The ${kind} was issued before the user's password changed; log in again.` };
  }
  return { ok: true, user };
}

const scopesOf = (claims: Claims): string[] =>
  Array.isArray(claims.scope) ? claims.scope.filter((s): s is string => typeof s === "string") : [];

/** One signed token: the access and the refresh token differ only in their claims and lifetime. */
async function sign(
  claims: Record<string, unknown>,
  iat: number,
  ttlSeconds: number,
  key: KeyPromise,
  audience: string,
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setAudience([audience])
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign(await key);
}

async function issueTokens(
  settings: TokenSettings,
  key: KeyPromise,
  user: UserAccount,
  clientId: string,
  scopes: readonly string[],
): Promise<IssuedTokens> {
  const iat = Math.floor(settings.clock() / 1000);
  const jti = globalThis.crypto.randomUUID();
  const common = {
    user_name: user.userName,
    scope: [...scopes],
    authorities: [...user.authorities],
    client_id: clientId,
    credential_version: await user.credentialVersion,
  };
  const access = await sign({ ...common, jti }, iat, settings.accessTtlSeconds, key, settings.audience);
  const refresh = await sign(
    { ...common, jti: globalThis.crypto.randomUUID(), ati: jti },
    iat,
    settings.refreshTtlSeconds,
    key,
    settings.audience,
  );
  return {
    access_token: access,
    token_type: "bearer",
    refresh_token: refresh,
    expires_in: settings.accessTtlSeconds,
    scope: scopes.join(" "),
    jti,
  };
}

/** An access token's principal from its verified claims, or why the claims do not make one. */
async function principalOf(
  token: string,
  verify: (token: string) => Promise<Claims>,
  findUser: (userName: string) => UserAccount | undefined,
): Promise<{ ok: true; principal: Principal } | { ok: false; reason: string }> {
  let claims: Claims;
  try {
    claims = await verify(token);
  } catch (error) {
    return { ok: false, reason: describe(error) };
  }
  if (claims.ati !== undefined) return { ok: false, reason: "A refresh token cannot be used as an access token." };
  if (typeof claims.user_name !== "string" || typeof claims.client_id !== "string" || typeof claims.exp !== "number") {
    return { ok: false, reason: "The token lacks user_name, client_id or exp." };
  }
  const found = await holder(findUser, claims.user_name, claims, "token");
  if (!found.ok) return found;
  return {
    ok: true,
    principal: {
      userName: claims.user_name,
      username: found.user.username,
      scopes: scopesOf(claims),
      clientId: claims.client_id,
      expiresAt: claims.exp * 1000,
    },
  };
}

async function verifyRefreshToken(
  token: string,
  verify: (token: string) => Promise<Claims>,
  findUser: (userName: string) => UserAccount | undefined,
): Promise<({ ok: true } & RefreshGrant) | { ok: false; reason: string }> {
  let claims: Claims;
  try {
    claims = await verify(token);
  } catch (error) {
    return { ok: false, reason: describe(error) };
  }
  if (typeof claims.ati !== "string") return { ok: false, reason: "This is not a refresh token." };
  if (
    typeof claims.user_name !== "string" ||
    typeof claims.client_id !== "string" ||
    typeof claims.jti !== "string" ||
    typeof claims.exp !== "number"
  ) {
    return { ok: false, reason: "The refresh token lacks user_name, client_id, jti or exp." };
  }
  const found = await holder(findUser, claims.user_name, claims, "refresh token");
  if (!found.ok) return found;
  return {
    ok: true,
    userName: claims.user_name,
    clientId: claims.client_id,
    scopes: scopesOf(claims),
    jti: claims.jti,
    expiresAt: claims.exp * 1000,
  };
}

/**
 * HS256 JWTs with the seed's claim shape (aud, user_name, scope, exp, authorities, jti, client_id;
 * refresh adds ati), plus credential_version: a token stops working when its user's password changes.
 */
export function createTokenService(
  settings: TokenSettings,
  findUser: (userName: string) => UserAccount | undefined,
): TokenService {
  const key = importKey(settings.secret);
  const cache = new Map<string, Principal>();
  const verify = (token: string) => verifyClaims(token, key, settings);

  return {
    issue: (user, clientId, scopes) => issueTokens(settings, key, user, clientId, scopes),

    async verifyAccess(token) {
      let principal = cache.get(token);
      if (principal === undefined) {
        // Checked once per token and process, before caching: the users (and so their credential
        // versions) are fixed for a process's life, and a password change is a restart with a new
        // users file, which starts with an empty cache.
        const made = await principalOf(token, verify, findUser);
        if (!made.ok) return made;
        principal = made.principal;
        if (cache.size >= cacheLimit) cache.clear();
        cache.set(token, principal);
      }
      if (principal.expiresAt <= settings.clock()) {
        cache.delete(token);
        return { ok: false, reason: "The token has expired." };
      }
      // Checked on every use: a removed user's tokens stop working at once.
      if (findUser(principal.userName) === undefined)
        return { ok: false, reason: "The token's user no longer exists." };
      return { ok: true, principal };
    },

    verifyRefresh: (token) => verifyRefreshToken(token, verify, findUser),
  };
}
