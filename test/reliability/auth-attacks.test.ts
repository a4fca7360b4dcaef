import { decodeJwt, exportSPKI, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesEqual, safeEqual } from "../../src/backend/auth/constant-time.js";
import { pbkdf2Hasher } from "../../src/backend/auth/pbkdf2-hasher.js";
import { scryptHasher } from "../../src/backend/auth/scrypt-hasher.js";
import { resolveServeSettings } from "../../src/base/config/serve-settings.js";
import { api } from "../helpers/api.js";
import { ensureBuilt, type ServeOutcome, serveOutcome } from "../helpers/built-cli.js";
import {
  adminKey,
  type RunningReference,
  type SpawnedReference,
  spawnReference,
  startReference,
} from "../helpers/reference.js";
import { waitUntil } from "./support.js";

/*
 * Attacks on authentication and on the test-control API. Each forged or misused credential must
 * be refused (401, 403 for a missing scope, 400 invalid_grant on the token endpoint), while the
 * genuine credential next to it works — so a refusal is the check working, not the route broken.
 */

const secret = "auth-attack-test-secret-0123456789";
const audience = "stockproof-api";
const users = [
  { username: "stays@example.com", password: "stays-password", userName: "500001" },
  { username: "leaves@example.com", password: "leaves-password", userName: "500002" },
];
const stays = { username: "stays@example.com", password: "stays-password" };
const leaves = { username: "leaves@example.com", password: "leaves-password" };
const key = new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

/** The credential_version of the genuine token: a forgery signed with the secret would carry the real one. */
let credentialVersion = "";

/** Claims of a genuine access token for `userName`, to be signed (or mis-signed) by the attack. */
const claims = (userName: string) => ({
  user_name: userName,
  scope: ["read", "write"],
  authorities: ["ROLE_USER"],
  client_id: "clientapp",
  jti: "attack",
  credential_version: credentialVersion,
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("auth attacks", () => {
  let server: RunningReference;
  let client: ReturnType<typeof api>;
  let genuine: { access: string; refresh: string };
  const reserve = (token: string | null, id = `auth-${Math.random().toString(36).slice(2)}`) =>
    client.reserve(token ?? "", id, [{ productStockId: 311191, orderCount: 1 }]);

  beforeAll(async () => {
    server = await startReference({ db: "memory", tokenSecret: secret, users, audience });
    client = api(server.url);
    const issued = await client.token({
      grant_type: "password",
      client_id: "clientapp",
      client_secret: "secret",
      ...stays,
    });
    genuine = { access: issued.body.access_token as string, refresh: issued.body.refresh_token as string };
    credentialVersion = String(decodeJwt(genuine.access).credential_version);
  });
  afterAll(async () => server.close());

  async function expectInvalidToken(token: string, why: string) {
    const response = await client.reserveRaw(token, "storeId=x", {});
    // The bearer check runs before the query is read, so a bad token is 401 whatever the query.
    expect(response.status, why).toBe(401);
    expect(response.body.code, why).toBe("INVALID_TOKEN");
    expect(response.headers["www-authenticate"], why).toMatch(/^Bearer realm="stockproof", error="invalid_token"/);
  }

  it("accepts the genuine token (the control for every refusal below)", async () => {
    expect((await reserve(genuine.access)).status).toBe(200);
    const forged = await new SignJWT(claims("500001"))
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(now() + 600)
      .sign(key);
    // A token we sign with the server's secret is accepted: the forgeries below fail for their flaw alone.
    expect((await reserve(forged)).status).toBe(200);
  });

  it('refuses alg "none"', async () => {
    const payload = { ...claims("500001"), aud: [audience], exp: now() + 600 };
    await expectInvalidToken(`${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.`, "alg none, empty signature");
    const signature = genuine.access.split(".")[2];
    await expectInvalidToken(`${b64({ alg: "none" })}.${b64(payload)}.${signature}`, "alg none, borrowed signature");
  });

  it("refuses HS/RS confusion", async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const rs = await new SignJWT(claims("500001"))
      .setProtectedHeader({ alg: "RS256", typ: "JWT" })
      .setAudience(audience)
      .setExpirationTime(now() + 600)
      .sign(privateKey);
    await expectInvalidToken(rs, "RS256 with an attacker key pair");
    const pem = await exportSPKI(publicKey);
    const hs = await new SignJWT(claims("500001"))
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setAudience(audience)
      .setExpirationTime(now() + 600)
      .sign(new TextEncoder().encode(pem));
    await expectInvalidToken(hs, "HS256 keyed with an RSA public key PEM");
  });

  it("refuses wrong audience, expired, not yet valid, missing claims", async () => {
    const signed = (build: (jwt: SignJWT) => SignJWT, body: Record<string, unknown> = claims("500001")) =>
      build(new SignJWT(body).setProtectedHeader({ alg: "HS256", typ: "JWT" })).sign(key);
    await expectInvalidToken(
      await signed((j) => j.setAudience("another-api").setExpirationTime(now() + 600)),
      "wrong audience",
    );
    await expectInvalidToken(await signed((j) => j.setExpirationTime(now() + 600)), "no audience");
    await expectInvalidToken(
      await signed((j) =>
        j
          .setAudience(audience)
          .setIssuedAt(now() - 7200)
          .setExpirationTime(now() - 3600),
      ),
      "expired an hour ago",
    );
    await expectInvalidToken(
      await signed((j) =>
        j
          .setAudience(audience)
          .setNotBefore(now() + 3600)
          .setExpirationTime(now() + 7200),
      ),
      "nbf an hour ahead",
    );
    await expectInvalidToken(await signed((j) => j.setAudience(audience)), "no exp");
    const { user_name: _, ...anonymous } = claims("500001");
    await expectInvalidToken(
      await signed((j) => j.setAudience(audience).setExpirationTime(now() + 600), anonymous),
      "no user_name",
    );
  });

  it("refuses a tampered signature or payload", async () => {
    const [header, payload, signature] = genuine.access.split(".") as [string, string, string];
    const flipped = `${signature.slice(0, 10)}${signature[10] === "A" ? "B" : "A"}${signature.slice(11)}`;
    await expectInvalidToken(`${header}.${payload}.${flipped}`, "one signature character changed");
    await expectInvalidToken(`${header}.${payload}.`, "signature removed");
    const decoded = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    await expectInvalidToken(
      `${header}.${b64({ ...decoded, user_name: "500002" })}.${signature}`,
      "user_name swapped, signature kept",
    );
    await expectInvalidToken(
      `${header}.${b64({ ...decoded, exp: now() + 10 * 365 * 86400 })}.${signature}`,
      "exp extended, signature kept",
    );
  });

  it("refuses a refresh token as an access token, and an access token as a refresh grant", async () => {
    await expectInvalidToken(genuine.refresh, "refresh token on an order endpoint");
    const grant = await client.token({
      grant_type: "refresh_token",
      refresh_token: genuine.access,
      client_id: "clientapp",
      client_secret: "secret",
    });
    expect(grant.status).toBe(400);
    expect(grant.body.error).toBe("invalid_grant");
    // Control: the refresh token itself works on the token endpoint.
    const refreshed = await client.token({
      grant_type: "refresh_token",
      refresh_token: genuine.refresh,
      client_id: "clientapp",
      client_secret: "secret",
    });
    expect(refreshed.status).toBe(200);
  });

  it("refuses a token whose scope lacks write with 403", async () => {
    const read = await client.token({
      grant_type: "password",
      client_id: "clientapp",
      client_secret: "secret",
      scope: "read",
      ...stays,
    });
    expect(read.status).toBe(200);
    const response = await reserve(read.body.access_token as string);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe("INSUFFICIENT_SCOPE");
  });

  it("refuses the wrong client secret and malformed Basic headers", async () => {
    const password = { grant_type: "password", ...stays };
    for (const [form, headers, why] of [
      [{ ...password, client_id: "clientapp", client_secret: "Secret" }, {}, "wrong secret in the form"],
      [{ ...password, client_id: "clientapp", client_secret: "secret\u0000" }, {}, "secret with a trailing NUL"],
      [{ ...password, client_id: "clientapp", client_secret: "" }, {}, "empty secret"],
      [{ ...password, client_id: "nobody", client_secret: "secret" }, {}, "unknown client"],
      [
        password,
        { authorization: `Basic ${Buffer.from("clientapp:wrong").toString("base64")}` },
        "wrong secret in Basic",
      ],
      [password, { authorization: "Basic !!!not-base64!!!" }, "Basic with non-base64 characters"],
      [password, { authorization: `Basic ${Buffer.from("clientapp").toString("base64")}` }, "Basic without a colon"],
      [password, { authorization: `Basic ${Buffer.from("%zz:secret").toString("base64")}` }, "Basic with a bad escape"],
      [password, { authorization: "Basic" }, "Basic with no credentials"],
      [password, { authorization: `Bearer ${genuine.access}` }, "a bearer token instead of client credentials"],
    ] as const) {
      const response = await client.token({ ...form }, { ...headers });
      expect(response.status, why).toBe(401);
      expect(response.body.error, why).toBe("invalid_client");
      expect(response.headers["www-authenticate"], why).toBe('Basic realm="stockproof"');
    }
    const good = await client.token(password, {
      authorization: `Basic ${Buffer.from("clientapp:secret").toString("base64")}`,
    });
    expect(good.status).toBe(200);
    const wrongPassword = await client.token({
      ...password,
      password: "stays-passworD",
      client_id: "clientapp",
      client_secret: "secret",
    });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.error).toBe("invalid_grant");
  });

  it("refuses a token for a user who no longer exists (same signing secret, user removed)", async () => {
    const issued = await client.token({
      grant_type: "password",
      client_id: "clientapp",
      client_secret: "secret",
      ...leaves,
    });
    const access = issued.body.access_token as string;
    const refresh = issued.body.refresh_token as string;
    expect((await reserve(access)).status).toBe(200);
    const restarted = await startReference({ db: "memory", tokenSecret: secret, audience, users: users.slice(0, 1) });
    try {
      const again = api(restarted.url);
      const denied = await again.reserve(access, "gone-1", [{ productStockId: 311191, orderCount: 1 }]);
      expect(denied.status).toBe(401);
      expect(denied.body.code).toBe("INVALID_TOKEN");
      const grant = await again.token({
        grant_type: "refresh_token",
        refresh_token: refresh,
        client_id: "clientapp",
        client_secret: "secret",
      });
      expect(grant.status).toBe(400);
      expect(grant.body.error).toBe("invalid_grant");
      // Control: the user who stayed keeps working with a token from before the restart.
      expect((await again.reserve(genuine.access, "stays-1", [{ productStockId: 311191, orderCount: 1 }])).status).toBe(
        200,
      );
    } finally {
      await restarted.close();
    }
  });

  it("compares secrets and passwords without an early exit, with the right answers", async () => {
    // Client secrets and admin keys: src/backend/auth/constant-time.ts (a full-length XOR loop); scrypt
    // hashes: crypto.timingSafeEqual. Their answers are checked here; timing belongs to benchmarks.
    expect(safeEqual("secret", "secret")).toBe(true);
    expect(safeEqual("secret", "Secret")).toBe(false);
    expect(safeEqual("secret", "secret-longer")).toBe(false);
    expect(safeEqual("secret", "secre")).toBe(false);
    expect(safeEqual("", "x")).toBe(false);
    expect(safeEqual("ключ", "ключ")).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 0]), new Uint8Array([1]))).toBe(false);
    for (const hasher of [scryptHasher, pbkdf2Hasher]) {
      const stored = await hasher.hash("pass-word");
      expect(await hasher.verify("pass-word", stored)).toBe(true);
      expect(await hasher.verify("pass-wore", stored)).toBe(false);
      expect(await hasher.verify("pass-word", "plain$text")).toBe(false);
      expect(await hasher.verify("pass-word", `${stored.split("$").slice(0, 2).join("$")}$`)).toBe(false);
    }
  });
});

describe("test-control API safety", () => {
  let server: RunningReference;
  beforeAll(async () => {
    server = await startReference({ db: "memory" });
  });
  afterAll(async () => server.close());

  it("is unreachable without its key: 401, and nothing changes", async () => {
    const client = api(server.url);
    const before = (await client.snapshot()).body.skus;
    for (const key of ["", "wrong", `${adminKey}x`, adminKey.toUpperCase(), adminKey.slice(0, -1)]) {
      expect((await client.snapshot(key)).status, `key ${JSON.stringify(key)}`).toBe(401);
      expect((await client.reset(key)).status).toBe(401);
      const set = await client.setStock([{ productStockId: 311191, quantity: 0 }], key);
      expect(set.status).toBe(401);
      expect(set.body.code).toBe("ADMIN_KEY_REQUIRED");
    }
    const bare = await client.send("GET", "/__admin/snapshot");
    expect(bare.status).toBe(401);
    expect((await client.snapshot()).body.skus).toEqual(before);
  });

  it("is absent when disabled (--no-admin → 404, even with the default key)", async () => {
    const spawned = await spawnReference(["--db", ":memory:", "--no-admin"]);
    try {
      const client = api(spawned.url);
      for (const [method, path] of [
        ["GET", "/__admin/snapshot"],
        ["POST", "/__admin/reset"],
        ["PUT", "/__admin/stock"],
      ] as const) {
        const response = await client.send(method, path, {
          headers: { "x-admin-key": adminKey, "content-type": "application/json" },
          body: method === "PUT" ? JSON.stringify({ items: [{ productStockId: 311191, quantity: 0 }] }) : "",
        });
        expect(response.status, `${method} ${path}`).toBe(404);
      }
      expect(spawned.output.join("\n")).toMatch(/test-control API: off/);
    } finally {
      await spawned.stop();
    }
  });

  it("is never on by default on a non-loopback host without an explicit key", () => {
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "::ffff:127.0.0.1", ""]) {
      const settings = resolveServeSettings({ host }, {});
      expect(settings.adminKey, `host ${JSON.stringify(host)}`).toBeNull();
      expect(settings.warnings.join(" ")).toMatch(/test-control API is off/);
    }
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1"]) {
      expect(resolveServeSettings({ host }, {}).adminKey, host).toBe("stockproof-admin");
    }
    // An explicit key turns it on anywhere; --no-admin turns it off everywhere.
    expect(resolveServeSettings({ host: "0.0.0.0", adminKey: "flag-key-0123" }, {}).adminKey).toBe("flag-key-0123");
    expect(resolveServeSettings({ host: "0.0.0.0" }, { STOCKPROOF_ADMIN_KEY: "env-key-01234" }).adminKey).toBe(
      "env-key-01234",
    );
    expect(resolveServeSettings({ host: "127.0.0.1", admin: false }, {}).adminKey).toBeNull();
    expect(resolveServeSettings({ host: "0.0.0.0", adminKey: "k", admin: false }, {}).adminKey).toBeNull();
    // The environment cannot smuggle a host past the check either.
    expect(resolveServeSettings({}, { STOCKPROOF_HOST: "0.0.0.0" }).adminKey).toBeNull();
  });

  it("refuses an empty or short key (flag or environment), on loopback and on 0.0.0.0, with exit 2 before listening", async () => {
    ensureBuilt();
    const refused = (outcome: ServeOutcome) => {
      if (outcome.kind !== "exited")
        throw new Error(`expected exit 2, but the server ${outcome.kind}:\n${outcome.output}`);
      expect(outcome.code).toBe(2);
      return outcome.output.trim();
    };
    // The attack itself, through the CLI: refused before the server listens.
    expect(refused(await serveOutcome(["--port", "0", "--db", ":memory:", "--admin-key", ""]))).toMatch(
      /^--admin-key must be at least 12 characters \(got an empty key\)/,
    );
    // Short keys from the flag and the variable, and a key a client could never send (header values
    // lose their outer spaces): the same check, in this process.
    expect(() => resolveServeSettings({ adminKey: "hunter2" }, {})).toThrow(
      /^--admin-key must be at least 12 characters \(got 7 characters\)/,
    );
    expect(() => resolveServeSettings({}, { STOCKPROOF_ADMIN_KEY: "hunter2" })).toThrow(
      /^STOCKPROOF_ADMIN_KEY must be at least 12 characters/,
    );
    expect(() => resolveServeSettings({ adminKey: " padded-key-0123 " }, {})).toThrow(/visible ASCII/);
    // On a public address too (checked without binding one: the settings refuse before any socket).
    for (const adminKey of ["", "short"]) {
      expect(() => resolveServeSettings({ host: "0.0.0.0", adminKey }, {})).toThrow(/--admin-key must be at least 12/);
    }
    // An empty variable is unset, as for every STOCKPROOF_* variable: on 0.0.0.0 the API stays off.
    expect(resolveServeSettings({ host: "0.0.0.0" }, { STOCKPROOF_ADMIN_KEY: "" }).adminKey).toBeNull();
    // The documented demo key stays valid, given explicitly too.
    expect(resolveServeSettings({ adminKey }, {}).adminKey).toBe(adminKey);
  });

  it("never prints an explicit key: the banner says where the key came from", async () => {
    const explicit = "banner-secret-key-0123";
    const fromFlag = await spawnReference(["--db", ":memory:", "--admin-key", explicit]);
    const fromEnv = await spawnReference(["--db", ":memory:"], { STOCKPROOF_ADMIN_KEY: explicit });
    const demo = await spawnReference(["--db", ":memory:"], { STOCKPROOF_ADMIN_KEY: "" });
    // The banner's second line may arrive after "Listening on", which is what spawnReference waits for.
    const banner = async (server: SpawnedReference) => {
      await waitUntil("the banner", () => server.output.some((line) => line.includes("test-control API:")));
      return server.output.join("\n");
    };
    try {
      // The explicit key works, though it is not shown.
      expect((await api(fromFlag.url).snapshot(explicit)).status).toBe(200);
      expect(await banner(fromFlag)).not.toContain(explicit);
      expect(await banner(fromFlag)).toContain("test-control API: on (key from --admin-key)");
      expect(await banner(fromEnv)).not.toContain(explicit);
      expect(await banner(fromEnv)).toContain("test-control API: on (key from STOCKPROOF_ADMIN_KEY)");
      expect(await banner(demo)).toContain(`test-control API: on (X-Admin-Key: ${adminKey}, the demo default)`);
    } finally {
      await Promise.all([fromFlag.stop(), fromEnv.stop(), demo.stop()]);
    }
  });
});
