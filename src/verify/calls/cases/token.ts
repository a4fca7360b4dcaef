/**
 * @module
 * Catalogue calls of the token endpoint: password and refresh grants, and each RFC 6749 refusal.
 */

import { type AnswerCode, type CallCase, call, type Expected, type Given } from "../case.js";
import { basic, tokenRequest } from "../requests.js";
import type { Credentials } from "../settings.js";

// Every answer of the token endpoint must not be cached (RFC 6749 §5.1, §5.2).
const noStore = { "cache-control": /^no-store$/ };
const ok: Expected = { status: 200, headers: noStore };
const oauthError = (status: 400 | 401, code: AnswerCode): Expected => ({
  status,
  code,
  headers: status === 401 ? { ...noStore, "www-authenticate": /^Basic realm=/ } : noStore,
});

const clientForm = (g: Given) => ({ client_id: g.settings.client.id, client_secret: g.settings.client.secret });
const password = (user: Credentials) => ({ grant_type: "password", username: user.username, password: user.password });
const buyerForm = (g: Given, extra: Record<string, string> = {}) => ({
  ...password(g.settings.buyer),
  ...clientForm(g),
  ...extra,
});
const refreshForm = (g: Given, refreshToken: string, extra: Record<string, string> = {}) => ({
  grant_type: "refresh_token",
  refresh_token: refreshToken,
  ...clientForm(g),
  ...extra,
});
const clientBasic = (g: Given, secret = g.settings.client.secret) => basic(g.settings.client.id, secret);

const token = (input: Omit<CallCase, "operationId" | "needs" | "valid" | "depth"> & Partial<CallCase>) =>
  call({ operationId: "createToken", ...input });

/** Password grant of the buyer, client in the form: how every suite logs in. */
export const login = token({ says: "password grant", expect: ok, request: (g) => tokenRequest(buyerForm(g)) });

/** Password grant with scope read: a token the order API must refuse with 403. */
export const readOnlyLogin = token({
  says: "read-only scope",
  expect: ok,
  request: (g) => tokenRequest(buyerForm(g, { scope: "read" })),
});

/** Password grant of the second user. */
export const otherLogin = token({
  says: "password grant (second user)",
  needs: ["other"],
  expect: ok,
  request: (g) => {
    const other = g.settings.other;
    if (other === null) throw new Error("no second user in the settings");
    return tokenRequest({ ...password(other), ...clientForm(g) });
  },
});

export const refresh = token({
  says: "refresh_token grant",
  needs: ["refreshToken"],
  expect: ok,
  request: (g) => tokenRequest(refreshForm(g, g.refreshToken)),
});

export const tokenCases: readonly CallCase[] = [
  login,
  readOnlyLogin,
  otherLogin,
  refresh,
  token({
    says: "client by HTTP Basic",
    expect: ok,
    request: (g) => tokenRequest(password(g.settings.buyer), clientBasic(g)),
  }),
  token({
    says: "refresh_token grant narrowing the scope to read, client by HTTP Basic",
    needs: ["refreshToken"],
    depth: "edge",
    expect: ok,
    request: (g) =>
      tokenRequest({ grant_type: "refresh_token", refresh_token: g.refreshToken, scope: "read" }, clientBasic(g)),
  }),
  token({
    says: "wrong password",
    expect: oauthError(400, "invalid_grant"),
    request: (g) => tokenRequest(buyerForm(g, { password: `${g.settings.buyer.password}-wrong` })),
  }),
  token({
    says: "wrong client secret",
    expect: oauthError(401, "invalid_client"),
    request: (g) => tokenRequest(buyerForm(g, { client_secret: `${g.settings.client.secret}-wrong` })),
  }),
  token({
    says: "unknown client",
    expect: oauthError(401, "invalid_client"),
    request: (g) => tokenRequest(buyerForm(g, { client_id: "stranger" })),
  }),
  token({
    says: "unsupported grant",
    expect: oauthError(400, "unsupported_grant_type"),
    request: (g) => tokenRequest({ grant_type: "client_credentials", ...clientForm(g) }),
  }),
  token({
    says: "scope outside read write",
    expect: oauthError(400, "invalid_scope"),
    request: (g) => tokenRequest(buyerForm(g, { scope: "admin" })),
  }),
  token({
    says: "refresh token not valid",
    expect: oauthError(400, "invalid_grant"),
    request: (g) => tokenRequest(refreshForm(g, "not-a-token")),
  }),
  token({
    says: "a refresh token already used (refresh tokens are single-use)",
    needs: ["spentRefreshToken"],
    expect: oauthError(400, "invalid_grant"),
    request: (g) => tokenRequest(refreshForm(g, g.spentRefreshToken)),
  }),
  token({
    says: "a refresh with the store busy with another writer (spending the refresh token writes)",
    needs: ["refreshToken", "storeBusy"],
    depth: "edge",
    expect: { status: 503, code: "STORE_BUSY" },
    request: (g) => tokenRequest(refreshForm(g, g.refreshToken)),
  }),
  token({
    says: "client by HTTP Basic, the scheme name in lower case after two spaces (RFC 7235)",
    depth: "edge",
    expect: ok,
    request: (g) => {
      const sent = tokenRequest(password(g.settings.buyer), clientBasic(g));
      const credentials = (sent.headers.authorization ?? "").replace(/^Basic /, "");
      return { ...sent, headers: { ...sent.headers, authorization: `basic  ${credentials}` } };
    },
  }),
  token({
    says: "an access token used as a refresh token",
    needs: ["buyer"],
    expect: oauthError(400, "invalid_grant"),
    request: (g) => tokenRequest(refreshForm(g, g.token)),
  }),
  token({
    says: "grant_type missing",
    valid: false,
    expect: oauthError(400, "invalid_request"),
    request: (g) => tokenRequest({ username: g.settings.buyer.username, ...clientForm(g) }),
  }),
  token({
    says: "JSON body",
    valid: false,
    expect: { status: 415, code: "UNSUPPORTED_MEDIA_TYPE" },
    request: (g) => ({
      ...tokenRequest({}),
      headers: { "content-type": "application/json" },
      body: JSON.stringify(buyerForm(g)),
    }),
  }),
  // Above the reference's 64 KiB body limit.
  token({
    says: "body over 64 KiB",
    valid: false,
    expect: { status: 413, code: "PAYLOAD_TOO_LARGE" },
    request: (g) => tokenRequest(buyerForm(g, { padding: "x".repeat(70_000) })),
  }),
  ...edgeCases(),
];

/** The rest of RFC 6749's refusals. */
function edgeCases(): CallCase[] {
  const edge = (says: string, expect: Expected, request: CallCase["request"], needs: CallCase["needs"] = []) =>
    token({ says, expect, request, needs, depth: "edge" });
  return [
    edge("a wrong secret over Basic", oauthError(401, "invalid_client"), (g) =>
      tokenRequest(password(g.settings.buyer), clientBasic(g, "wrong")),
    ),
    edge("no client credentials at all", oauthError(401, "invalid_client"), (g) =>
      tokenRequest(password(g.settings.buyer)),
    ),
    edge("a Basic header that is not base64", oauthError(401, "invalid_client"), (g) =>
      tokenRequest(password(g.settings.buyer), { authorization: "Basic !!!" }),
    ),
    edge("a scope the client may not have beside one it may", oauthError(400, "invalid_scope"), (g) =>
      tokenRequest(buyerForm(g, { scope: "read admin" })),
    ),
    edge("an unknown user", oauthError(400, "invalid_grant"), (g) =>
      tokenRequest(buyerForm(g, { username: "ghost@example.com" })),
    ),
    edge("a password grant without a password", oauthError(400, "invalid_request"), (g) =>
      tokenRequest({ grant_type: "password", username: g.settings.buyer.username, ...clientForm(g) }),
    ),
    edge("client by Basic and by form secret at once", oauthError(400, "invalid_request"), (g) =>
      tokenRequest(buyerForm(g), clientBasic(g)),
    ),
    edge("a form field given twice", oauthError(400, "invalid_request"), (g) => {
      const twice = tokenRequest(buyerForm(g));
      return { ...twice, body: `${twice.body}&username=other%40example.com` };
    }),
    edge(
      "a refresh widening a read-only grant's scope",
      oauthError(400, "invalid_scope"),
      (g) => tokenRequest(refreshForm(g, g.readRefreshToken, { scope: "read write" })),
      ["readRefreshToken"],
    ),
  ];
}
