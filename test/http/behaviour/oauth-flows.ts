import { decodeJwt } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { defaultAudience } from "../../../src/backend/reference.js";
import { login, readOnlyLogin, refresh } from "../../../src/verify/calls/index.js";
import type { MatrixContext } from "../../helpers/matrix/describe-matrix.js";
import { json } from "../../helpers/matrix/judge.js";

const untimed = (snapshot: Record<string, unknown>) => ({ ...snapshot, takenAt: null });

/** What the token endpoint issues and how the order API reads it (oauth.test.ts before the matrix). */
export function oauthFlows(ctx: MatrixContext): void {
  describe("OAuth token endpoint and bearer scopes", () => {
    beforeEach(() => ctx.reset());

    it("issues tokens for the password grant with form client auth, in the seed's claim shape", async () => {
      const body = json(await ctx.call(login)) as Record<string, string | number>;
      expect(body).toMatchObject({ token_type: "bearer", scope: "read write" });
      const access = decodeJwt(String(body.access_token));
      expect(access).toMatchObject({
        aud: [defaultAudience],
        user_name: "144602",
        scope: ["read", "write"],
        authorities: ["ROLE_USER"],
        client_id: "clientapp",
        jti: body.jti,
      });
      expect(access.exp).toBe((access.iat as number) + (body.expires_in as number));
      const refreshToken = decodeJwt(String(body.refresh_token));
      expect(refreshToken).toMatchObject({ user_name: "144602", client_id: "clientapp", ati: body.jti });
      expect(refreshToken.exp as number).toBeGreaterThan(access.exp as number);
    });

    it("accepts HTTP Basic client auth", async () => {
      const response = await ctx.call("createToken: client by HTTP Basic");
      expect(decodeJwt(String(json(response).access_token)).user_name).toBe("144602");
    });

    // Each refresh spends a refresh token of its own login: a used one may be refused (rotation).
    it("refreshes: new tokens for the same user, usable on the order API; a narrowed grant cannot widen", async () => {
      const first = json(await ctx.call(login));
      const refreshed = json(await ctx.call(refresh, { refreshToken: String(first.refresh_token) }));
      expect(refreshed.jti).not.toBe(first.jti);
      expect(decodeJwt(String(refreshed.access_token))).toMatchObject({
        user_name: "144602",
        scope: ["read", "write"],
      });
      await ctx.call("payOrder: an unknown order", { token: String(refreshed.access_token) });

      const narrowed = json(
        await ctx.call("createToken: refresh_token grant narrowing the scope to read, client by HTTP Basic"),
      );
      expect(narrowed.scope).toBe("read");
      await ctx.call("createToken: a refresh widening a read-only grant's scope", {
        readRefreshToken: String(narrowed.refresh_token),
      });
    });

    it("refuses an access token as a refresh token, and a refresh token as an access token", async () => {
      const tokens = json(await ctx.call(login));
      await ctx.call("createToken: an access token used as a refresh token", { token: String(tokens.access_token) });
      await ctx.call("createToken: refresh token not valid");
      await ctx.call("payOrder: a refresh token used as an access token", {
        refreshToken: String(tokens.refresh_token),
      });
    });

    it("gives a read-only token 403 insufficient_scope on every order operation, changing nothing", async () => {
      const read = json(await ctx.call(readOnlyLogin));
      expect(read.scope).toBe("read");
      const readToken = String(read.access_token);
      await ctx.call("reserveStock: reserve", { id: "scope-read-0" });
      const before = await ctx.snapshot();
      await ctx.call("reserveStock: read-only token", { readToken, id: "scope-read-1" });
      await ctx.call("payOrder: read-only token", { readToken, order: "scope-read-0" });
      await ctx.call("cancelOrder: read-only token", { readToken, order: "scope-read-0" });
      expect(untimed(await ctx.snapshot())).toEqual(untimed(before));
    });

    it("answers a request without credentials with a bare Bearer challenge (RFC 6750 §3.1)", async () => {
      await ctx.call("payOrder: no token");
    });
  });
}
