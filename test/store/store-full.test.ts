import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReference } from "../../src/backend/reference.js";
import { createIncidentLog } from "../../src/backend/server/incident-log.js";
import { api, conforms, customData, reserveQuery } from "../helpers/api.js";
import { buyer, type RunningReference, startReference, tempDir } from "../helpers/reference.js";

// A full disk, made with SQLite's own page limit on a real file: the store cannot grow, exactly as
// when write() fails with ENOSPC (both are SQLITE_FULL), without needing a small filesystem.

const bursts = 5;
const perBurst = 200;
const sku = 800002; // 1600 units: never short, so every refusal here is the disk's

describe("a full disk under load", () => {
  const temp = tempDir("stockproof-full-");
  const lines: string[] = [];
  const flushes: (() => void)[] = [];
  let server: RunningReference;

  beforeAll(async () => {
    const db = join(temp.dir, "full.db");
    createReference({ db }).close(); // seeded, checkpointed on close
    const pages = new Database(db).pragma("page_count", { simple: true }) as number;
    server = await startReference({
      db,
      maxPageCount: pages + 4,
      onIncident: createIncidentLog({ write: (line) => lines.push(line), schedule: (flush) => flushes.push(flush) }),
      onUnexpected: (error) => lines.push(`unexpected: ${String(error)}`),
    });
  });
  afterAll(async () => {
    await server?.close();
    temp.remove();
  });

  it("answers 503 STORE_FULL with Retry-After (never 500), loses no acknowledged order, and logs one line", async () => {
    const client = api(server.url);
    const token = await client.login(buyer);
    const statuses: Record<string, number> = {};
    const acknowledged: string[] = [];
    for (let burst = 0; burst < bursts; burst++) {
      const answers = await Promise.all(
        Array.from({ length: perBurst }, async (_, i) => {
          const id = `full-${burst}-${i}`;
          const answer = await client.reserveRaw(
            token,
            reserveQuery(id, customData([{ productStockId: sku, orderCount: 1 }])),
          );
          return { id, answer };
        }),
      );
      for (const { id, answer } of answers) {
        const key = `${answer.status}:${String(answer.body.code ?? "")}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (answer.status === 200) acknowledged.push(id);
        if (answer.status === 503) expect(answer.headers["retry-after"]).toBe("30");
      }
    }
    const full = statuses["503:STORE_FULL"] ?? 0;
    expect(full, JSON.stringify(statuses)).toBeGreaterThan(0);
    expect(
      Object.keys(statuses).filter((k) => k !== "200:" && k !== "503:STORE_FULL"),
      JSON.stringify(statuses),
    ).toEqual([]);

    // Reads still work; the invariant holds and every acknowledged reservation is there.
    const snapshot = await client.snapshot();
    expect(snapshot.body.invariantHolds).toBe(true);
    const orders = new Set((snapshot.body.orders as { paymentOrderId: string }[]).map((o) => o.paymentOrderId));
    expect(acknowledged.filter((id) => !orders.has(id))).toEqual([]);
    expect(orders.size).toBe(acknowledged.length);

    // The body names the cause and the fix; the log has one line for all of it, no stack.
    const one = await client.reserveRaw(
      token,
      reserveQuery("full-last", customData([{ productStockId: sku, orderCount: 1 }])),
    );
    expect(one.status).toBe(503);
    expect(one.body.detail).toMatch(/disk is full.*Retry once space has been freed/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^store-full: The stock store cannot grow/);
    expect(lines[0]).not.toMatch(/\n\s+at /);
    // At the end of the interval one line counts the others.
    for (const flush of flushes.splice(0)) flush();
    expect(lines).toHaveLength(2);
    // Every 503 the client saw was counted; the HTTP client may also retry an idempotent GET on a
    // reused connection the server closed, which the server refuses (and counts) once more.
    const counted = /^store-full: (\d+) more in the last 60 s; the last: (.*)$/.exec(lines[1] ?? "");
    expect(counted, lines[1]).not.toBeNull();
    expect(Number(counted?.[1])).toBeGreaterThanOrEqual(full);
    const sent = Object.values(statuses).reduce((n, k) => n + k, 0);
    expect(Number(counted?.[1])).toBeLessThanOrEqual(sent);
    expect(counted?.[2]).toBe(
      "The stock store cannot grow: its disk is full (or the file reached a size limit); nothing was changed.",
    );
    // A quiet interval writes nothing.
    for (const flush of flushes.splice(0)) flush();
    expect(lines).toHaveLength(2);
  });

  it("answers the token endpoint's refresh and the test-control API the same way", async () => {
    const client = api(server.url);
    const login = await client.token({
      grant_type: "password",
      client_id: "clientapp",
      client_secret: "secret",
      ...buyer,
    });
    const refresh = await client.token({
      grant_type: "refresh_token",
      client_id: "clientapp",
      client_secret: "secret",
      refresh_token: login.body.refresh_token as string,
    });
    // The spent-token table may still have room for one row; then the next store write is refused.
    expect([200, 503]).toContain(refresh.status);
    if (refresh.status === 503) expect(refresh.body.code).toBe("STORE_FULL");
    const set = conforms(
      "setStock",
      await client.send("PUT", "/__admin/stock", {
        headers: { "x-admin-key": "stockproof-admin", "content-type": "application/json" },
        body: JSON.stringify({
          items: Array.from({ length: 500 }, (_, i) => ({ productStockId: 900_000 + i, quantity: 1 })),
        }),
      }),
    );
    expect(set.status).toBe(503);
    expect(set.body.code).toBe("STORE_FULL");
    expect(set.headers["retry-after"]).toBe("30");
  });
});
