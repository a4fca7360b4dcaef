import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCanonicalBase64Url } from "../../src/backend/auth/base64url.js";
import { api } from "../helpers/api.js";
import { ensureBuilt } from "../helpers/built-cli.js";
import { type RunningReference, spawnReference, startReference, tempDir } from "../helpers/reference.js";
import { childPids, runSeed, scale } from "./support.js";

/*
 * Attacks on the identity of a token: other spellings of one token, refresh tokens replayed after
 * use (also racing, also across worker processes and restarts), tokens outliving a password
 * change, and the RFC spellings of the Authorization header a strict parser refuses by mistake.
 * Each refusal stands next to the genuine credential working, so it is the check, not a broken route.
 */

const secret = "token-hardening-test-secret-0123456789";
const users = [
  { username: "first@example.com", password: "first-password", userName: "600001" },
  { username: "second@example.com", password: "second-password", userName: "600002" },
];
const first = { username: "first@example.com", password: "first-password" };
const second = { username: "second@example.com", password: "second-password" };
const client = { client_id: "clientapp", client_secret: "secret" } as const;
const line = [{ productStockId: 311191, orderCount: 1 }];
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const seed = runSeed();
/** Mutated tokens sent over HTTP per run. */
const mutations = scale(60, 600);
console.log(`token-hardening seed ${seed} (replay with STOCKPROOF_SEED=${seed}); ${mutations} mutated tokens`);
let unique = 0;
const orderId = (prefix: string) => `${prefix}-${++unique}`;

type Client = ReturnType<typeof api>;

/** Every other character the last one of `segment` could be while decoding to the same bytes (atob ignores the unused bits). */
function sameBytesSpellings(segment: string): string[] {
  const unused = [0, 0, 4, 2][segment.length % 4] as number;
  if (unused === 0) return [];
  const last = alphabet.indexOf(segment.at(-1) as string);
  const spellings: string[] = [];
  for (let bits = 1; bits < 1 << unused; bits++) spellings.push(segment.slice(0, -1) + alphabet[last ^ bits]);
  return spellings;
}

async function login(http: Client, user: { username: string; password: string }) {
  const issued = await http.token({ grant_type: "password", ...client, ...user });
  expect(issued.status, `login ${user.username}`).toBe(200);
  return { access: issued.body.access_token as string, refresh: issued.body.refresh_token as string };
}

const refresh = (http: Client, token: string, extra: Record<string, string> = {}) =>
  http.token({ grant_type: "refresh_token", refresh_token: token, ...client, ...extra });

async function expectInvalidToken(http: Client, token: string, why: string) {
  const response = await http.reserve(token, orderId("refused"), line);
  expect(response.status, why).toBe(401);
  expect(response.body.code, why).toBe("INVALID_TOKEN");
  expect(response.headers["www-authenticate"], why).toMatch(/^Bearer realm="stockproof", error="invalid_token"/);
}

describe("one spelling per token", () => {
  let server: RunningReference;
  let http: Client;
  let genuine: { access: string; refresh: string };
  beforeAll(async () => {
    server = await startReference({ db: "memory", tokenSecret: secret, users });
    http = api(server.url);
    genuine = await login(http, first);
  });
  afterAll(async () => server?.close());

  it("knows the canonical base64url spelling (Node's encoder is the oracle)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const canonical = Buffer.from(bytes).toString("base64url");
        expect(isCanonicalBase64Url(canonical)).toBe(true);
        for (const other of sameBytesSpellings(canonical)) expect(isCanonicalBase64Url(other), other).toBe(false);
        for (const padded of [`${canonical}=`, `${canonical}==`, Buffer.from(bytes).toString("base64")]) {
          if (padded !== canonical) expect(isCanonicalBase64Url(padded), padded).toBe(false);
        }
      }),
      { seed, numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."AQgw-_+/=. \t%".split("")), maxLength: 12 }), (text) => {
        const roundTrips =
          /^[A-Za-z0-9_-]*$/.test(text) && Buffer.from(text, "base64url").toString("base64url") === text;
        expect(isCanonicalBase64Url(text), JSON.stringify(text)).toBe(roundTrips);
      }),
      { seed, numRuns: 500 },
    );
  });

  it("accepts the issued token and refuses each other spelling of its signature (the ~8 jose accepted)", async () => {
    const before = (await http.snapshot()).body.skus;
    const [header, payload, signature] = genuine.access.split(".") as [string, string, string];
    const variants = [
      ...sameBytesSpellings(signature).map((s) => `${header}.${payload}.${s}`),
      `${genuine.access}=`,
      `${genuine.access}==`,
      ...sameBytesSpellings(signature).map((s) => `${header}.${payload}.${s}=`),
    ];
    expect(variants.length).toBeGreaterThanOrEqual(7);
    for (const variant of variants) await expectInvalidToken(http, variant, `spelling ${variant.slice(-6)}`);
    // The refusals took nothing; the canonical spelling still works.
    expect((await http.snapshot()).body.skus).toEqual(before);
    expect((await http.reserve(genuine.access, orderId("canonical"), line)).status).toBe(200);
  });

  it("refuses every non-canonical variant of any of the three segments; the genuine token still works", async () => {
    const segments = genuine.access.split(".") as [string, string, string];
    const mutation = fc.record({
      segment: fc.integer({ min: 0, max: 2 }),
      kind: fc.constantFrom("padding", "unused bits", "foreign character"),
      padding: fc.integer({ min: 1, max: 3 }),
      bits: fc.integer({ min: 0, max: 15 }),
      at: fc.nat(),
      foreign: fc.constantFrom("=", "+", "/", "~", "!", "*", "%"),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const parts = [...segments];
        const target = parts[m.segment] as string;
        const spellings = sameBytesSpellings(target);
        if (m.kind === "unused bits" && spellings.length > 0) {
          parts[m.segment] = spellings[m.bits % spellings.length] as string;
        } else if (m.kind === "foreign character") {
          const at = m.at % (target.length + 1);
          parts[m.segment] = target.slice(0, at) + m.foreign + target.slice(at);
        } else {
          parts[m.segment] = target + "=".repeat(m.padding);
        }
        const variant = parts.join(".");
        expect(variant).not.toBe(genuine.access);
        await expectInvalidToken(http, variant, `segment ${m.segment}, ${m.kind}`);
      }),
      { seed, numRuns: mutations },
    );
    expect((await http.reserve(genuine.access, orderId("canonical"), line)).status).toBe(200);
  });

  it("refuses another spelling of a refresh token without spending the token", async () => {
    const own = await login(http, second);
    const [header, payload, signature] = own.refresh.split(".") as [string, string, string];
    const variants = [`${own.refresh}=`, ...sameBytesSpellings(signature).map((s) => `${header}.${payload}.${s}`)];
    for (const variant of variants) {
      const refused = await refresh(http, variant);
      expect(refused.status, variant).toBe(400);
      expect(refused.body.error).toBe("invalid_grant");
    }
    expect((await refresh(http, own.refresh)).status).toBe(200);
  });
});

describe("Authorization header spellings the RFCs allow", () => {
  let server: RunningReference;
  let http: Client;
  let access: string;
  beforeAll(async () => {
    server = await startReference({ db: "memory", tokenSecret: secret, users });
    http = api(server.url);
    access = (await login(http, first)).access;
  });
  afterAll(async () => server?.close());

  const reserveWith = (authorization: string) =>
    http.reserveRaw(
      null,
      new URLSearchParams({
        storeId: "itsdcode",
        merchantId: "itsdcode",
        amount: "3000",
        timestamp: "20210621",
        paymentOrderId: orderId("header"),
        customData: JSON.stringify({ productInfoList: null, productStockList: line }),
      }).toString(),
      { authorization },
    );

  it("takes Bearer followed by several spaces (RFC 6750 §2.1: 1*SP), in any case", async () => {
    for (const authorization of [
      `Bearer  ${access}`,
      `Bearer     ${access}`,
      `bearer ${access}`,
      `BEARER   ${access}`,
    ]) {
      expect((await reserveWith(authorization)).status, JSON.stringify(authorization.slice(0, 12))).toBe(200);
    }
    // Not a space: RFC 6750 allows only SP between the scheme and the token.
    const tab = await reserveWith(`Bearer\t${access}`);
    expect(tab.status).toBe(401);
    expect(tab.body.code).toBe("INVALID_TOKEN");
  });

  it("takes the Basic scheme name in any case, and several spaces (RFC 7235 §2.1)", async () => {
    const credentials = Buffer.from("clientapp:secret").toString("base64");
    for (const scheme of ["basic", "BASIC", "bAsIc", "Basic  ", "basic   "]) {
      const authorization = scheme.endsWith(" ") ? `${scheme}${credentials}` : `${scheme} ${credentials}`;
      const issued = await http.token({ grant_type: "password", ...first }, { authorization });
      expect(issued.status, JSON.stringify(scheme)).toBe(200);
      expect(decodeJwt(issued.body.access_token as string).user_name).toBe("600001");
    }
    // The scheme is checked, not ignored: a wrong secret in lower-case basic is still invalid_client.
    const wrong = await http.token(
      { grant_type: "password", ...first },
      { authorization: `basic ${Buffer.from("clientapp:wrong").toString("base64")}` },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_client");
  });
});

describe("refresh tokens are single-use", () => {
  let temp: ReturnType<typeof tempDir>;
  let server: RunningReference;
  let http: Client;
  beforeAll(async () => {
    temp = tempDir("stockproof-refresh-");
    server = await startReference({ db: join(temp.dir, "refresh.db"), tokenSecret: secret, users });
    http = api(server.url);
  });
  afterAll(async () => {
    await server?.close();
    temp?.remove();
  });

  it("rotates: the used refresh token is invalid_grant, its successor works once", async () => {
    const issued = await login(http, first);
    const rotated = await refresh(http, issued.refresh);
    expect(rotated.status).toBe(200);
    const next = rotated.body.refresh_token as string;
    expect(next).not.toBe(issued.refresh);
    expect((await http.reserve(rotated.body.access_token as string, orderId("rotated"), line)).status).toBe(200);

    const replayed = await refresh(http, issued.refresh);
    expect(replayed.status).toBe(400);
    expect(replayed.body.error).toBe("invalid_grant");
    expect(replayed.body.error_description).toMatch(/already been used/);

    expect((await refresh(http, next)).status).toBe(200);
    expect((await refresh(http, next)).status).toBe(400);
  });

  it("does not spend a refresh token on a refused request (wrong scope, wrong client)", async () => {
    const issued = await login(http, first);
    const narrowed = await refresh(http, issued.refresh, { scope: "read" });
    expect(narrowed.status).toBe(200);
    const read = narrowed.body.refresh_token as string;
    const widened = await refresh(http, read, { scope: "read write" });
    expect(widened.status).toBe(400);
    expect(widened.body.error).toBe("invalid_scope");
    expect((await refresh(http, read)).status).toBe(200);
  });

  it("gives exactly one success to simultaneous refreshes of one token", async () => {
    const issued = await login(http, second);
    const attempts = 24;
    const answers = await Promise.all(Array.from({ length: attempts }, () => refresh(http, issued.refresh)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400 && a.body.error === "invalid_grant")).toHaveLength(attempts - 1);
  });

  it("keeps a used refresh token refused after a restart on the same database", async () => {
    const issued = await login(http, first);
    expect((await refresh(http, issued.refresh)).status).toBe(200);
    const unused = await login(http, second);
    await server.close();
    server = await startReference({ db: join(temp.dir, "refresh.db"), tokenSecret: secret, users });
    http = api(server.url);
    const replayed = await refresh(http, issued.refresh);
    expect(replayed.status).toBe(400);
    expect(replayed.body.error).toBe("invalid_grant");
    // Control: a token not used before the restart still works after it.
    expect((await refresh(http, unused.refresh)).status).toBe(200);
  });
});

/** Established loopback TCP connections to `port` held by each child of `primary` (Linux /proc). */
function connectionsPerWorker(primary: number, port: number): number[] {
  const established = new Set<string>();
  for (const row of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const fields = row.trim().split(/\s+/);
    const local = fields[1]?.split(":")[1];
    if (local !== undefined && Number.parseInt(local, 16) === port && fields[3] === "01")
      established.add(fields[9] ?? "");
  }
  return childPids(primary).map((pid) => {
    let count = 0;
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode !== undefined && established.has(inode)) count++;
      } catch {
        // closed while we looked
      }
    }
    return count;
  });
}

describe("refresh tokens are single-use across `serve --workers 2`", () => {
  it("gives exactly one success to simultaneous refreshes spread over both workers", async () => {
    ensureBuilt();
    const temp = tempDir("stockproof-refresh-workers-");
    const spawned = await spawnReference(["--db", join(temp.dir, "shared.db"), "--workers", "2"]);
    try {
      const http = api(spawned.url);
      const buyer = { username: "buyer@example.com", password: "buyer-password" };
      for (let round = 0; round < 3; round++) {
        const issued = await login(http, buyer);
        // A token issued by one worker is accepted by the other: the credential version is the same in every process.
        const reserves = await Promise.all(
          Array.from({ length: 8 }, () => http.reserve(issued.access, orderId("worker"), line)),
        );
        expect(reserves.map((r) => r.status)).toEqual(Array(8).fill(200));
        const answers = await Promise.all(Array.from({ length: 16 }, () => refresh(http, issued.refresh)));
        expect(
          answers.filter((a) => a.status === 200),
          `round ${round}`,
        ).toHaveLength(1);
        expect(answers.filter((a) => a.body.error === "invalid_grant")).toHaveLength(15);
      }
      // The races ran over connections held by both workers (kept alive after the last round), so
      // the single success is decided across processes, in the shared database.
      const perWorker = connectionsPerWorker(spawned.pid, Number(new URL(spawned.url).port));
      expect(
        perWorker.filter((n) => n > 0),
        `connections per worker: ${perWorker.join(", ")}`,
      ).toHaveLength(2);
    } finally {
      await spawned.stop();
      temp.remove();
    }
  });
});

describe("a password change revokes the user's tokens", () => {
  it("refuses access and refresh tokens issued before the change, and keeps other users' tokens", async () => {
    const before = await startReference({ db: "memory", tokenSecret: secret, users });
    let firstTokens: { access: string; refresh: string };
    let secondTokens: { access: string; refresh: string };
    try {
      firstTokens = await login(api(before.url), first);
      secondTokens = await login(api(before.url), second);
    } finally {
      await before.close();
    }
    // The operator restarts with a new users file: first's password changed, second's did not.
    const newUsers = [{ ...users[0], password: "first-new-password" }, users[1]] as typeof users;
    const changed = await startReference({ db: "memory", tokenSecret: secret, users: newUsers });
    try {
      const http = api(changed.url);
      await expectInvalidToken(http, firstTokens.access, "access token from before the password change");
      const grant = await refresh(http, firstTokens.refresh);
      expect(grant.status).toBe(400);
      expect(grant.body.error).toBe("invalid_grant");
      expect(grant.body.error_description).toMatch(/password/);
      expect((await http.token({ grant_type: "password", ...client, ...first })).status).toBe(400);

      // Controls: the unchanged user's tokens survive the restart, and the new password works.
      expect((await http.reserve(secondTokens.access, orderId("kept"), line)).status).toBe(200);
      expect((await refresh(http, secondTokens.refresh)).status).toBe(200);
      const fresh = await login(http, { username: first.username, password: "first-new-password" });
      expect((await http.reserve(fresh.access, orderId("new-password"), line)).status).toBe(200);
    } finally {
      await changed.close();
    }
  });
});
