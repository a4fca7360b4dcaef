/**
 * @module
 * Requires a valid access token with the scope (RFC 6750) and hands its principal to the routes.
 */

import type { MiddlewareHandler } from "hono";
import type { Principal, TokenService } from "../../auth/tokens.js";
import { problemResponse, toProblem } from "../problems.js";
import { requestHeader } from "../request-header.js";

/** What the middleware gives the routes after it: the token's principal. */
export type BearerEnv = { Variables: { principal: Principal } };

export interface BearerAuthOptions {
  readonly tokens: TokenService;
  /** The scope every request needs; without it 403 INSUFFICIENT_SCOPE. */
  readonly scope: string;
  /** The challenge's realm. */
  readonly realm?: string;
}

/** Requires a valid access token with the scope (RFC 6750); sets `principal` for the routes. */
export const bearerAuth = ({
  tokens,
  scope,
  realm = "stockproof",
}: BearerAuthOptions): MiddlewareHandler<BearerEnv> => {
  const challenge = `Bearer realm="${realm}"`;
  const refuse = (detail: string, hasToken: boolean) =>
    problemResponse(toProblem("INVALID_TOKEN", detail), {
      // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
      "www-authenticate": hasToken
        ? `${challenge}, error="invalid_token", error_description="${detail.replaceAll('"', "'")}"`
        : challenge,
    });
  return async function bearerAuth(c, next) {
    const header = requestHeader(c, "authorization");
    if (header === undefined) return refuse("An access token is required (Authorization: Bearer …).", false);
    // RFC 6750 §2.1: "Bearer" 1*SP b64token, the scheme name case-insensitive (RFC 7235 §2.1).
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
    if (match === null) return refuse("The Authorization header is not a Bearer token.", true);
    const checked = await tokens.verifyAccess(match[1] as string);
    if (!checked.ok) return refuse(checked.reason, true);
    if (!checked.principal.scopes.includes(scope)) {
      return problemResponse(toProblem("INSUFFICIENT_SCOPE", `This operation needs the scope ${scope}.`), {
        "www-authenticate": `${challenge}, error="insufficient_scope", scope="read write"`,
      });
    }
    c.set("principal", checked.principal);
    await next();
  };
};
