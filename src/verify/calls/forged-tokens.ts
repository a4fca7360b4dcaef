/**
 * @module
 * Tokens that look like the server's own but must be refused with 401, for the catalogue's forged-token calls.
 */

import { SignJWT, UnsecuredJWT } from "jose";
import { demoClient, demoUsers } from "../../base/config/defaults.js";
import type { TokenSigning } from "./case.js";

/** Claims of a genuine access token of the demo buyer (what a forger would copy). */
export const accessClaims = () => ({
  user_name: demoUsers[0].userName,
  scope: ["read", "write"],
  authorities: ["ROLE_USER"],
  client_id: demoClient.id,
  jti: "forged-jti",
});

export interface ForgeOptions {
  readonly alg?: "HS256" | "HS512";
  /** Expiry in epoch seconds; default an hour from now. */
  readonly exp?: number;
  readonly audience?: string;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** An access token signed with `key` (the server's secret or another); iat two hours before exp. */
export function signAccess(key: string, audience: string, options: ForgeOptions = {}): Promise<string> {
  const exp = options.exp ?? nowSeconds() + 3600;
  return new SignJWT(accessClaims())
    .setProtectedHeader({ alg: options.alg ?? "HS256", typ: "JWT" })
    .setAudience([options.audience ?? audience])
    .setIssuedAt(exp - 7200)
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(key));
}

/** Tokens a server must refuse with 401 although each looks like one of its own. */
export const forged = {
  expired: (s: TokenSigning) => signAccess(s.secret, s.audience, { exp: nowSeconds() - 60 }),
  otherKey: (s: TokenSigning) => signAccess("some-other-key", s.audience),
  hs512: (s: TokenSigning) => signAccess(s.secret, s.audience, { alg: "HS512" }),
  otherAudience: (s: TokenSigning) => signAccess(s.secret, s.audience, { audience: "elsewhere" }),
  unsigned: (s: TokenSigning) =>
    new UnsecuredJWT(accessClaims()).setAudience([s.audience]).setExpirationTime("1h").encode(),
  /** A genuine token whose payload was swapped for another user's: the signature no longer matches. */
  tampered(genuine: string, s: TokenSigning): string {
    const [header, , signature] = genuine.split(".");
    const claims = { ...accessClaims(), user_name: demoUsers[1].userName, aud: [s.audience], exp: 9_999_999_999 };
    const payload = btoa(JSON.stringify(claims)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
    return `${header}.${payload}.${signature}`;
  },
  /** The genuine token with its signature replaced. */
  wrongSignature: (genuine: string) => `${genuine.slice(0, genuine.lastIndexOf(".") + 1)}${"A".repeat(43)}`,
};
