// `serve --workers 2`: fault rules and the journal would live in each worker's memory, so a rule set
// through one worker would apply to some requests only. They are off, with a 404 naming the fix;
// Prefer, which keeps no state, still works on every worker.
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { reserveLines, setFaultsRequest, tokenRequest } from "../../src/verify/calls/requests.js";
import { ensureBuilt } from "../helpers/built-cli.js";
import { type SpawnedReference, spawnReference, tempDir } from "../helpers/reference.js";

const temp = tempDir("stockproof-workers-tc-");
let served: SpawnedReference;

beforeAll(async () => {
  ensureBuilt();
  served = await spawnReference(["--db", join(temp.dir, "w.db"), "--workers", "2"]);
});
afterAll(async () => {
  await served?.stop();
  temp.remove();
});

const send = async (r: { method: string; path: string; headers: Record<string, string>; body: string | null }) => {
  const response = await fetch(`${served.url}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
};

it("refuses fault rules and the journal with a 404 naming --workers, and still honours Prefer", async () => {
  const set = await send(setFaultsRequest("stockproof-admin", [{ operationId: "reserveStock", status: 503 }]));
  expect([set.status, set.body.code]).toEqual([404, "NOT_FOUND"]);
  expect(String(set.body.detail)).toContain("--workers 2");
  expect(String(set.body.detail)).toContain("--workers 1");
  const journal = await send({
    method: "GET",
    path: "/__admin/requests",
    headers: { "x-admin-key": "stockproof-admin" },
    body: null,
  });
  expect(journal.status).toBe(404);

  const login = await send(
    tokenRequest({
      grant_type: "password",
      username: "buyer@example.com",
      password: "buyer-password",
      client_id: "clientapp",
      client_secret: "secret",
    }),
  );
  const token = String(login.body.access_token);
  // Several requests, so both workers answer some of them.
  for (let i = 0; i < 6; i++) {
    const request = reserveLines(token, `w-${i}`, [{ productStockId: 311191, orderCount: 1 }]);
    const forced = await send({ ...request, headers: { ...request.headers, prefer: "code=503" } });
    expect([forced.status, forced.body.code, forced.headers.get("preference-applied")]).toEqual([
      503,
      "STORE_BUSY",
      "code=503, example=STORE_BUSY",
    ]);
  }
  const snapshot = await send({
    method: "GET",
    path: "/__admin/snapshot",
    headers: { "x-admin-key": "stockproof-admin" },
    body: null,
  });
  expect(snapshot.body.orders).toEqual([]);
  expect(snapshot.body.faults).toBeUndefined();
});
