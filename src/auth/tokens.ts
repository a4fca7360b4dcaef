import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import type { UserAccount } from "./accounts.js";

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
  readonly exp?: unknown;
}

/** Verified access tokens kept until they expire, so a load test does not pay an HMAC per request. */
const cacheLimit = 10_000;

export interface TokenService {
  issue(user: UserAccount, clientId: string, scopes: readonly string[]): Promise<IssuedTokens>;
  verifyAccess(token: string): Promise<TokenCheck>;
  verifyRefresh(
    token: string,
  ): Promise<{ ok: true; userName: string; clientId: string; scopes: string[] } | { ok: false; reason: string }>;
}

function describe(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "The token has expired.";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${error.claim} claim is not valid.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "The token is not signed with HS256.";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "The token's signature is not valid.";
  return "The token is malformed.";
}

/** HS256 JWTs with the seed's claim shape (aud, user_name, scope, exp, authorities, jti, client_id; refresh adds ati). */
export function createTokenService(
  settings: TokenSettings,
  findUser: (userName: string) => UserAccount | undefined,
): TokenService {
  const key = new TextEncoder().encode(settings.secret);
  const cache = new Map<string, Principal>();
  const nowSeconds = () => Math.floor(settings.clock() / 1000);

  const verify = async (token: string) =>
    (
      await jwtVerify<Claims>(token, key, {
        algorithms: ["HS256"],
        audience: settings.audience,
        currentDate: new Date(settings.clock()),
      })
    ).payload;

  const scopesOf = (claims: Claims): string[] =>
    Array.isArray(claims.scope) ? claims.scope.filter((s): s is string => typeof s === "string") : [];

  return {
    async issue(user, clientId, scopes) {
      const iat = nowSeconds();
      const jti = globalThis.crypto.randomUUID();
      const common = {
        user_name: user.userName,
        scope: [...scopes],
        authorities: [...user.authorities],
        client_id: clientId,
      };
      const access = await new SignJWT({ ...common, jti })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setAudience([settings.audience])
        .setIssuedAt(iat)
        .setExpirationTime(iat + settings.accessTtlSeconds)
        .sign(key);
      const refresh = await new SignJWT({ ...common, jti: globalThis.crypto.randomUUID(), ati: jti })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .setAudience([settings.audience])
        .setIssuedAt(iat)
        .setExpirationTime(iat + settings.refreshTtlSeconds)
        .sign(key);
      return {
        access_token: access,
        token_type: "bearer",
        refresh_token: refresh,
        expires_in: settings.accessTtlSeconds,
        scope: scopes.join(" "),
        jti,
      };
    },

    async verifyAccess(token) {
      let principal = cache.get(token);
      if (principal === undefined) {
        let claims: Claims;
        try {
          claims = await verify(token);
        } catch (error) {
          return { ok: false, reason: describe(error) };
        }
        if (claims.ati !== undefined)
          return { ok: false, reason: "A refresh token cannot be used as an access token." };
        if (
          typeof claims.user_name !== "string" ||
          typeof claims.client_id !== "string" ||
          typeof claims.exp !== "number"
        ) {
          return { ok: false, reason: "The token lacks user_name, client_id or exp." };
        }
        const user = findUser(claims.user_name);
        principal = {
          userName: claims.user_name,
          username: user?.username ?? "",
          scopes: scopesOf(claims),
          clientId: claims.client_id,
          expiresAt: claims.exp * 1000,
        };
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

    async verifyRefresh(token) {
      let claims: Claims;
      try {
        claims = await verify(token);
      } catch (error) {
        return { ok: false, reason: describe(error) };
      }
      if (typeof claims.ati !== "string") return { ok: false, reason: "This is not a refresh token." };
      if (typeof claims.user_name !== "string" || typeof claims.client_id !== "string") {
        return { ok: false, reason: "The refresh token lacks user_name or client_id." };
      }
      return { ok: true, userName: claims.user_name, clientId: claims.client_id, scopes: scopesOf(claims) };
    },
  };
}
