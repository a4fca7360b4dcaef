import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAudience } from "../../src/reference.js";
import { api, conforms, customData, reserveQuery } from "../helpers/api.js";
import { buyer, type RunningReference, startReference } from "../helpers/reference.js";
import { headerProblems } from "../helpers/spec-headers.js";

type Client = ReturnType<typeof api>;

const client = { client_id: "clientapp", client_secret: "secret" } as const;
const password = { grant_type: "password", ...buyer } as const;
const basic = (id: string, secret: string) => ({
  authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`,
});

describe("OAuth token endpoint and bearer scopes", () => {
  let server: RunningReference;
  let http: Client;
  beforeAll(async () => {
    server = await startReference();
    http = api(server.url);
  });
  afterAll(async () => server?.close());

  const oauthError = async (form: Record<string, string>, headers: Record<string, string> = {}) => {
    const response = await http.token(form, headers);
    expect(headerProblems("createToken", response.status, response.headers)).toEqual([]);
    expect(response.headers["cache-control"]).toBe("no-store");
    return { status: response.status, error: response.body.error, headers: response.headers };
  };

  it("issues tokens for the password grant with form client auth, in the seed's claim shape", async () => {
    const response = await http.token({ ...password, ...client });
    expect(response.status).toBe(200);
    expect(headerProblems("createToken", 200, response.headers)).toEqual([]);
    const body = response.body as Record<string, string | number>;
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
    const refresh = decodeJwt(String(body.refresh_token));
    expect(refresh).toMatchObject({ user_name: "144602", client_id: "clientapp", ati: body.jti });
    expect(refresh.exp as number).toBeGreaterThan(access.exp as number);
  });

  it("accepts HTTP Basic client auth", async () => {
    const response = await http.token(password, basic("clientapp", "secret"));
    expect(response.status).toBe(200);
    expect(decodeJwt(String(response.body.access_token)).user_name).toBe("144602");
  });

  it.each([
    ["a wrong secret in the form", { ...password, ...client, client_secret: "wrong" }, {}],
    ["a wrong secret over Basic", password, basic("clientapp", "wrong")],
    ["an unknown client", { ...password, client_id: "nobody", client_secret: "secret" }, {}],
    ["no client credentials at all", password, {}],
    ["a Basic header that is not base64", password, { authorization: "Basic !!!" }],
  ])("answers 401 invalid_client with a Basic challenge for %s", async (_label, form, headers) => {
    const answer = await oauthError(form as Record<string, string>, headers as Record<string, string>);
    expect(answer.status).toBe(401);
    expect(answer.error).toBe("invalid_client");
    expect(answer.headers["www-authenticate"]).toMatch(/^Basic realm=/);
  });

  it.each([
    ["a wrong password", { ...password, ...client, password: "nope" }, "invalid_grant"],
    ["an unknown user", { ...password, ...client, username: "ghost@example.com" }, "invalid_grant"],
    ["a grant this server does not offer", { grant_type: "client_credentials", ...client }, "unsupported_grant_type"],
    ["a scope the client may not have", { ...password, ...client, scope: "read admin" }, "invalid_scope"],
    ["a missing grant_type", { ...buyer, ...client }, "invalid_request"],
    [
      "a password grant without a password",
      { grant_type: "password", username: buyer.username, ...client },
      "invalid_request",
    ],
  ])("answers 400 for %s", async (_label, form, error) => {
    const answer = await oauthError(form as Record<string, string>);
    expect(answer).toMatchObject({ status: 400, error });
  });

  it("refuses client auth by Basic and form secret at once", async () => {
    expect(await oauthError({ ...password, ...client }, basic("clientapp", "secret"))).toMatchObject({
      status: 400,
      error: "invalid_request",
    });
  });

  it("refuses a form field given twice", async () => {
    const response = conforms(
      "createToken",
      await http.send("POST", "/oauth/token", {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: `${new URLSearchParams({ ...password, ...client })}&username=other%40example.com`,
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toBe("invalid_request");
  });

  it("refreshes: new tokens for the same user, usable on the order API", async () => {
    const first = await http.token({ ...password, ...client });
    const refreshed = await http.token({
      grant_type: "refresh_token",
      refresh_token: String(first.body.refresh_token),
      ...client,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.jti).not.toBe(first.body.jti);
    expect(decodeJwt(String(refreshed.body.access_token))).toMatchObject({
      user_name: "144602",
      scope: ["read", "write"],
    });
    const paid = await http.pay(String(refreshed.body.access_token), "refresh-no-such-order");
    expect(paid.status).toBe(404);

    // Refresh tokens are single-use: the next refresh takes the one this refresh answered.
    const narrowed = await http.token(
      { grant_type: "refresh_token", refresh_token: String(refreshed.body.refresh_token), scope: "read" },
      basic("clientapp", "secret"),
    );
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.scope).toBe("read");

    const widened = await oauthError({
      grant_type: "refresh_token",
      refresh_token: String(narrowed.body.refresh_token),
      scope: "read write",
      ...client,
    });
    expect(widened).toMatchObject({ status: 400, error: "invalid_scope" });
  });

  it("refuses an access token as a refresh token, and a refresh token as an access token", async () => {
    const tokens = await http.token({ ...password, ...client });
    expect(
      await oauthError({ grant_type: "refresh_token", refresh_token: String(tokens.body.access_token), ...client }),
    ).toMatchObject({ status: 400, error: "invalid_grant" });
    expect(await oauthError({ grant_type: "refresh_token", refresh_token: "garbage", ...client })).toMatchObject({
      status: 400,
      error: "invalid_grant",
    });
    const asBearer = await http.pay(String(tokens.body.refresh_token), "any-order");
    expect(asBearer.status).toBe(401);
    expect(asBearer.body.code).toBe("INVALID_TOKEN");
    expect(asBearer.headers["www-authenticate"]).toContain('error="invalid_token"');
  });

  it("gives a read-only token 403 insufficient_scope on every order operation, changing nothing", async () => {
    const read = await http.token({ ...password, ...client, scope: "read" });
    expect(read.status).toBe(200);
    expect(read.body.scope).toBe("read");
    const token = String(read.body.access_token);
    const before = await http.snapshot();
    const answers = [
      await http.reserveRaw(
        token,
        reserveQuery("scope-read-1", customData([{ productStockId: 311191, orderCount: 1 }])),
      ),
      await http.pay(token, "scope-read-1"),
      await http.cancel(token, "scope-read-1"),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe("INSUFFICIENT_SCOPE");
      expect(answer.headers["www-authenticate"]).toContain('error="insufficient_scope"');
    }
    const after = await http.snapshot();
    expect({ ...after.body, takenAt: null }).toEqual({ ...before.body, takenAt: null });
  });

  it("answers a request without credentials with a bare Bearer challenge (RFC 6750 §3.1)", async () => {
    const answer = await http.pay(null, "any-order");
    expect(answer.status).toBe(401);
    expect(answer.headers["www-authenticate"]).toBe('Bearer realm="stockproof"');
  });
});
