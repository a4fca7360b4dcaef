import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { declaredStatuses, operations } from "../../src/spec/validators.js";
import { type ApiResponse, api, conforms, customData, reserveQuery } from "../helpers/api.js";
import { adminKey, buyer, type RunningReference, startReference } from "../helpers/reference.js";
import { headerProblems } from "../helpers/spec-headers.js";
import { withWriteLock } from "../helpers/write-lock.js";

type Json = Record<string, unknown>;
type Client = ReturnType<typeof api>;

/** How one declared status is produced over real HTTP, and the stable code it must carry. */
interface Producer {
  /** `code` of a problem body, or `error` of an OAuth error body. */
  readonly code?: string;
  produce(): Promise<ApiResponse<Json>>;
}

/** A declared status this server cannot produce, with a test proving why. */
interface Unreachable {
  readonly reason: string;
  prove(): Promise<void>;
}

const sku = 311191;
let sequence = 0;
const nextId = (label: string) => `cov-${label}-${++sequence}`;

describe("every status the spec declares, produced over HTTP and validated against the spec", () => {
  let main: RunningReference;
  let busy: RunningReference;
  let noAdmin: RunningReference;
  let client: Client;
  let busyClient: Client;
  let noAdminClient: Client;
  let token: string;
  let readToken: string;

  beforeAll(async () => {
    [main, busy, noAdmin] = await Promise.all([
      startReference(),
      // Writers give up after 50 ms, so a held lock turns into 503 quickly.
      startReference({ busyTimeoutMs: 50 }),
      startReference({ adminKey: null }),
    ]);
    client = api(main.url);
    busyClient = api(busy.url);
    noAdminClient = api(noAdmin.url);
    token = await client.login(buyer);
    const read = await client.token({
      grant_type: "password",
      client_id: "clientapp",
      client_secret: "secret",
      scope: "read",
      ...buyer,
    });
    readToken = read.body.access_token as string;
  });
  afterAll(async () => {
    await Promise.all([main?.close(), busy?.close(), noAdmin?.close()]);
  });

  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const reservePath = (query: string) => `/orders/payment/choice?${query}`;
  const payPath = (id: string) => `/orders/payment/kcp/payResultTest/${encodeURIComponent(id)}`;
  const cancelPath = (id: string) => `/orders/payment/cancel/${encodeURIComponent(id)}`;
  const form = (fields: Record<string, string>) => ({
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  const login = { grant_type: "password", client_id: "clientapp", client_secret: "secret", ...buyer };
  const oneUnit = () => customData([{ productStockId: sku, orderCount: 1 }]);
  const reserved = async () => {
    const id = nextId("order");
    const response = await client.reserve(token, id, [{ productStockId: sku, orderCount: 1 }]);
    expect(response.status).toBe(200);
    return id;
  };
  const locked = (produce: () => Promise<ApiResponse<Json>>) => () => withWriteLock(busy.dbPath, produce);

  const producers: Record<string, Record<number, Producer>> = {
    createToken: {
      200: { produce: () => client.send("POST", "/oauth/token", form(login)) },
      400: {
        code: "invalid_grant",
        produce: () => client.send("POST", "/oauth/token", form({ ...login, password: "x" })),
      },
      401: {
        code: "invalid_client",
        produce: () => client.send("POST", "/oauth/token", form({ ...login, client_secret: "wrong" })),
      },
      413: {
        code: "PAYLOAD_TOO_LARGE",
        produce: () => client.send("POST", "/oauth/token", form({ ...login, padding: "x".repeat(70_000) })),
      },
      415: {
        code: "UNSUPPORTED_MEDIA_TYPE",
        produce: () =>
          client.send("POST", "/oauth/token", {
            headers: { "content-type": "application/json" },
            body: JSON.stringify(login),
          }),
      },
      // A refresh grant writes (it spends the refresh token), so a held lock makes it 503.
      503: {
        code: "STORE_BUSY",
        produce: async () => {
          const issued = await busyClient.token(login);
          const refresh = {
            grant_type: "refresh_token",
            refresh_token: String(issued.body.refresh_token),
            client_id: "clientapp",
            client_secret: "secret",
          };
          return locked(() => busyClient.send("POST", "/oauth/token", form(refresh)))();
        },
      },
    },
    reserveStock: {
      200: {
        produce: () =>
          client.send("GET", reservePath(reserveQuery(nextId("r"), oneUnit())), { headers: bearer(token) }),
      },
      400: {
        code: "UNKNOWN_SKU",
        produce: () =>
          client.send(
            "GET",
            reservePath(reserveQuery(nextId("r"), customData([{ productStockId: 999_999, orderCount: 1 }]))),
            {
              headers: bearer(token),
            },
          ),
      },
      401: {
        code: "INVALID_TOKEN",
        produce: () => client.send("GET", reservePath(reserveQuery(nextId("r"), oneUnit()))),
      },
      403: {
        code: "INSUFFICIENT_SCOPE",
        produce: () =>
          client.send("GET", reservePath(reserveQuery(nextId("r"), oneUnit())), { headers: bearer(readToken) }),
      },
      409: {
        code: "OUT_OF_STOCK",
        produce: () =>
          client.send(
            "GET",
            reservePath(reserveQuery(nextId("r"), customData([{ productStockId: sku, orderCount: 1000 }]))),
            {
              headers: bearer(token),
            },
          ),
      },
      414: {
        code: "URI_TOO_LONG",
        produce: () =>
          client.send("GET", reservePath(reserveQuery(nextId("r"), oneUnit(), { storeId: "s".repeat(33_000) })), {
            headers: bearer(token),
          }),
      },
      503: {
        code: "STORE_BUSY",
        produce: locked(() =>
          busyClient.send("GET", reservePath(reserveQuery(nextId("r"), oneUnit())), { headers: bearer(token) }),
        ),
      },
    },
    payOrder: {
      200: { produce: async () => client.send("GET", payPath(await reserved()), { headers: bearer(token) }) },
      400: {
        code: "INVALID_PARAMETER",
        produce: () => client.send("GET", payPath("bad*id"), { headers: bearer(token) }),
      },
      401: { code: "INVALID_TOKEN", produce: () => client.send("GET", payPath("any-order")) },
      403: {
        code: "INSUFFICIENT_SCOPE",
        produce: () => client.send("GET", payPath("any-order"), { headers: bearer(readToken) }),
      },
      404: {
        code: "ORDER_NOT_FOUND",
        produce: () => client.send("GET", payPath(nextId("missing")), { headers: bearer(token) }),
      },
      414: {
        code: "URI_TOO_LONG",
        produce: () => client.send("GET", payPath("p".repeat(33_000)), { headers: bearer(token) }),
      },
      409: {
        code: "ORDER_CANCELLED",
        produce: async () => {
          const id = await reserved();
          expect((await client.cancel(token, id)).status).toBe(200);
          return client.send("GET", payPath(id), { headers: bearer(token) });
        },
      },
      503: {
        code: "STORE_BUSY",
        produce: locked(() => busyClient.send("GET", payPath("any-order"), { headers: bearer(token) })),
      },
    },
    cancelOrder: {
      200: { produce: async () => client.send("DELETE", cancelPath(await reserved()), { headers: bearer(token) }) },
      400: {
        code: "INVALID_PARAMETER",
        produce: () => client.send("DELETE", cancelPath("x".repeat(65)), { headers: bearer(token) }),
      },
      401: {
        code: "INVALID_TOKEN",
        produce: () => client.send("DELETE", cancelPath("any-order"), { headers: bearer("not.a.jwt") }),
      },
      403: {
        code: "INSUFFICIENT_SCOPE",
        produce: () => client.send("DELETE", cancelPath("any-order"), { headers: bearer(readToken) }),
      },
      404: {
        code: "ORDER_NOT_FOUND",
        produce: () => client.send("DELETE", cancelPath(nextId("missing")), { headers: bearer(token) }),
      },
      414: {
        code: "URI_TOO_LONG",
        produce: () => client.send("DELETE", cancelPath("c".repeat(33_000)), { headers: bearer(token) }),
      },
      409: {
        code: "ORDER_PAID",
        produce: async () => {
          const id = await reserved();
          expect((await client.pay(token, id)).status).toBe(200);
          return client.send("DELETE", cancelPath(id), { headers: bearer(token) });
        },
      },
      503: {
        code: "STORE_BUSY",
        produce: locked(() => busyClient.send("DELETE", cancelPath("any-order"), { headers: bearer(token) })),
      },
    },
    setStock: {
      200: { produce: () => client.setStock([{ productStockId: 4242, quantity: 5 }]) },
      400: {
        code: "INVALID_PARAMETER",
        produce: () =>
          client.send("PUT", "/__admin/stock", {
            headers: { "x-admin-key": adminKey, "content-type": "application/json" },
            body: JSON.stringify({ items: [{ productStockId: sku, quantity: -1 }] }),
          }),
      },
      401: {
        code: "ADMIN_KEY_REQUIRED",
        produce: () => client.setStock([{ productStockId: sku, quantity: 1 }], "wrong-key"),
      },
      404: { code: "NOT_FOUND", produce: () => noAdminClient.setStock([{ productStockId: sku, quantity: 1 }]) },
      409: {
        code: "SKU_CONFLICT",
        // A new SKU with the productId, color and size of SKU 311191 (219622 BLACK / L in the demo catalog).
        produce: () =>
          client.send("PUT", "/__admin/stock", {
            headers: { "x-admin-key": adminKey, "content-type": "application/json" },
            body: JSON.stringify({
              items: [{ productStockId: 4243, quantity: 1, productId: 219622, color: "BLACK", size: "L" }],
            }),
          }),
      },
      413: {
        code: "PAYLOAD_TOO_LARGE",
        produce: () =>
          client.send("PUT", "/__admin/stock", {
            headers: { "x-admin-key": adminKey, "content-type": "application/json" },
            body: JSON.stringify({ items: [{ productStockId: sku, quantity: 1, productName: "n".repeat(70_000) }] }),
          }),
      },
      415: {
        code: "UNSUPPORTED_MEDIA_TYPE",
        produce: () =>
          client.send("PUT", "/__admin/stock", {
            headers: { "x-admin-key": adminKey, "content-type": "text/plain" },
            body: JSON.stringify({ items: [{ productStockId: sku, quantity: 1 }] }),
          }),
      },
      503: { code: "STORE_BUSY", produce: locked(() => busyClient.setStock([{ productStockId: sku, quantity: 1 }])) },
    },
    getSnapshot: {
      200: { produce: () => client.snapshot() },
      401: { code: "ADMIN_KEY_REQUIRED", produce: () => client.send("GET", "/__admin/snapshot") },
      404: { code: "NOT_FOUND", produce: () => noAdminClient.snapshot() },
    },
    resetStore: {
      200: { produce: () => client.reset() },
      401: { code: "ADMIN_KEY_REQUIRED", produce: () => client.reset("wrong-key") },
      404: { code: "NOT_FOUND", produce: () => noAdminClient.reset() },
      503: { code: "STORE_BUSY", produce: locked(() => busyClient.reset()) },
    },
  };

  const unreachable: Record<string, Record<number, Unreachable>> = {
    getSnapshot: {
      503: {
        reason:
          "the snapshot is one WAL read transaction, and WAL readers never wait for the write lock; " +
          "the status stays declared for stores whose reads can be refused",
        async prove() {
          const before = (await busyClient.snapshot()).body;
          const during = await withWriteLock(
            busy.dbPath,
            () => busyClient.snapshot(),
            (db) => db.prepare("UPDATE skus SET available = available - 1, initial = initial - 1").run(),
          );
          expect(during.status).toBe(200);
          // The reader saw the last committed state, not the writer's uncommitted change.
          expect({ ...during.body, takenAt: null }).toEqual({ ...before, takenAt: null });
        },
      },
    },
  };

  it("has a producer or a proven exemption for exactly the operations the spec declares", () => {
    const declared = operations()
      .map((o) => o.operationId)
      .sort();
    expect(Object.keys(producers).sort()).toEqual(declared);
    for (const [operationId, byStatus] of Object.entries(producers)) {
      const statuses = declaredStatuses(operationId);
      for (const status of Object.keys(byStatus).map(Number)) {
        expect(statuses, `${operationId} produces ${status}, which the spec does not declare`).toContain(status);
      }
      for (const status of Object.keys(unreachable[operationId] ?? {}).map(Number)) {
        expect(statuses, `${operationId} exempts ${status}, which the spec does not declare`).toContain(status);
        expect(byStatus[status], `${operationId} ${status} is both produced and exempted`).toBeUndefined();
      }
    }
  });

  for (const { operationId, method, path } of operations()) {
    describe(`${method} ${path} (${operationId})`, () => {
      for (const status of declaredStatuses(operationId)) {
        const exemption = unreachable[operationId]?.[status];
        if (exemption !== undefined) {
          it(`cannot answer ${status}: ${exemption.reason}`, () => exemption.prove());
          continue;
        }
        it(`answers ${status}`, async () => {
          const producer = producers[operationId]?.[status];
          if (producer === undefined) {
            throw new Error(`No test produces ${status} for ${operationId}: add a producer to this suite.`);
          }
          const response = conforms(operationId, await producer.produce());
          expect(response.status).toBe(status);
          expect(headerProblems(operationId, status, response.headers)).toEqual([]);
          if (producer.code !== undefined) {
            expect(response.body.code ?? response.body.error).toBe(producer.code);
          }
        });
      }
    });
  }

  it("keeps every SKU's invariant after all of the above", async () => {
    for (const target of [client, busyClient]) {
      const snapshot = await target.snapshot();
      expect(snapshot.body.invariantHolds).toBe(true);
    }
  });
});
