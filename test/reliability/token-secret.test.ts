import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeJwt, jwtVerify, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/backend/catalog/catalog.js";
import { loadUsers } from "../../src/base/config/users.js";
import { api } from "../helpers/api.js";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { buyer, type RunningReference, spawnReference, startReference, tempDir } from "../helpers/reference.js";
import { storeTargets } from "../helpers/store-targets.js";

// The development secret is printed in the source: whoever knows it can mint any user's tokens and,
// as the password salt derives from it, test guesses of a password against a token offline.
const publishedSecret = new TextEncoder().encode("stockproof-development-signing-secret");
const day = 86_400_000;

describe("serve without --token-secret", () => {
  const temp = tempDir("stockproof-secret-");
  const db = join(temp.dir, "shop.db");
  beforeAll(() => ensureBuilt());
  afterAll(() => temp.remove());

  it("signs with a random secret kept in the database: the published one fails, tokens survive a restart", async () => {
    let server = await spawnReference(["--db", db]);
    let token: string;
    try {
      const client = api(server.url);
      token = await client.login(buyer);
      await expect(jwtVerify(token, publishedSecret)).rejects.toThrow(/signature/);

      // A token minted with the published secret, for the buyer, valid until the end of time.
      const claims = decodeJwt(token);
      const forged = await new SignJWT({ ...claims, exp: 1e300 })
        .setProtectedHeader({ alg: "HS256", typ: "JWT" })
        .sign(publishedSecret);
      const refused = await client.pay(forged, "no-such-order");
      expect(refused.status).toBe(401);
      expect(refused.body.detail).toBe("The token's signature is not valid.");
      expect((await client.pay(token, "no-such-order")).status).toBe(404);
    } finally {
      await server.stop();
    }
    server = await spawnReference(["--db", db]);
    try {
      // The same secret after a restart: the token still works.
      expect((await api(server.url).pay(token, "no-such-order")).status).toBe(404);
    } finally {
      await server.stop();
    }
    // Another database, another secret.
    const elsewhere = await spawnReference(["--db", join(temp.dir, "other.db")]);
    try {
      expect((await api(elsewhere.url).pay(token, "no-such-order")).status).toBe(401);
    } finally {
      await elsewhere.stop();
    }
  });
});

describe.each(storeTargets)("a spent refresh token stays spent whatever the clock does: $name", (target) => {
  it("is refused after the clock jumped ahead (pruning the record) and back", () => {
    const t0 = Date.UTC(2026, 0, 1);
    const opened = target.open(loadCatalog());
    try {
      const store = opened.store;
      expect(store.spendToken("refresh-1", t0 + 14 * day, t0)).toBe(true);
      // +15 d: refreshes of other tokens prune every record that has expired by then (the memory
      // store sweeps when its map has doubled: 5000 records take it past a sweep at +15 d).
      for (let i = 0; i < 5000; i++) expect(store.spendToken(`late-${i}`, t0 + 29 * day, t0 + 15 * day)).toBe(true);
      // Back at +0: the spent token looks unexpired again, and its record is gone.
      expect(store.spendToken("refresh-1", t0 + 14 * day, t0)).toBe(false);
      // A token expiring after everything pruned is judged by its own record, as before.
      expect(store.spendToken("refresh-2", t0 + 30 * day, t0)).toBe(true);
      expect(store.spendToken("refresh-2", t0 + 30 * day, t0)).toBe(false);
      // Another connection (a worker, a restart) knows how far records were pruned.
      if (opened.reopen !== null) expect(opened.reopen().spendToken("refresh-1", t0 + 14 * day, t0)).toBe(false);
    } finally {
      opened.dispose();
    }
  });
});

describe("a spent refresh token over HTTP, on a clock that jumps", () => {
  const t0 = Date.UTC(2026, 0, 1);
  let now = t0;
  let server: RunningReference;
  beforeAll(async () => {
    server = await startReference({ clock: () => now });
  });
  afterAll(() => server?.close());

  it("is refused when replayed after the wall clock went ahead 15 days and back", async () => {
    const client = api(server.url);
    const form = { client_id: "clientapp", client_secret: "secret" };
    const first = await client.token({ grant_type: "password", ...form, ...buyer });
    const spent = first.body.refresh_token as string;
    expect((await client.token({ grant_type: "refresh_token", ...form, refresh_token: spent })).status).toBe(200);

    now = t0 + 15 * day;
    const late = await client.token({ grant_type: "password", ...form, ...buyer });
    const lateRefresh = await client.token({
      grant_type: "refresh_token",
      ...form,
      refresh_token: late.body.refresh_token as string,
    });
    expect(lateRefresh.status).toBe(200);

    now = t0;
    const replay = await client.token({ grant_type: "refresh_token", ...form, refresh_token: spent });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe("invalid_grant");
  });
});

describe("a users file that names a user twice", () => {
  const temp = tempDir("stockproof-dup-users-");
  afterAll(() => temp.remove());
  const write = (name: string, users: unknown[]) => {
    const path = join(temp.dir, name);
    writeFileSync(path, JSON.stringify({ users }));
    return path;
  };

  it("is refused with exit 2 naming the duplicate: one username twice, or two users sharing a userName", async () => {
    const sameUsername = write("same-username.json", [
      { username: "a@shop.test", password: "pw-1", userName: "1" },
      { username: "a@shop.test", password: "pw-2", userName: "2" },
    ]);
    expect(() => loadUsers(sameUsername)).toThrow(
      `${sameUsername}: users[1] has the username "a@shop.test" of users[0]; each user needs its own username`,
    );
    const sameUserName = write("same-userName.json", [
      { username: "a@shop.test", password: "pw-1", userName: "144602" },
      { username: "b@shop.test", password: "pw-2", userName: "144602" },
    ]);
    expect(() => loadUsers(sameUserName)).toThrow(/users\[1\] has the userName "144602" of users\[0\]/);
    // A userName left out is the username: it may collide with another's explicit userName.
    const implicit = write("implicit.json", [
      { username: "a@shop.test", password: "pw-1", userName: "b@shop.test" },
      { username: "b@shop.test", password: "pw-2" },
    ]);
    expect(() => loadUsers(implicit)).toThrow(/users\[1\] has the userName "b@shop.test" \(from its username\)/);

    ensureBuilt();
    const served = await runBuiltCli(["serve", "--port", "0", "--db", ":memory:", "--users", sameUserName]);
    expect(served.code).toBe(2);
    expect(served.stderr.trim()).toMatch(/users\[1\] has the userName "144602" of users\[0\]/);
    expect(served.stdout).not.toContain("Listening");
  });
});
