// @vitest-environment jsdom
// The mock's opt-in persistence in Web Storage (jsdom's real sessionStorage and localStorage): a new
// backend over the same storage — what a full-page navigation makes — finds the state the last one
// left; reset() writes the catalog back; without the option nothing is written.
import { afterEach, describe, expect, it } from "vitest";
import { createMockBackend, demoCredentials } from "../../src/backend/msw/index.js";
import { createStockproofClient } from "../../src/verify/client/index.js";

const base = "http://localhost:8080";
const line = [{ productStockId: 311191, orderCount: 2 }];
const available = (backend: ReturnType<typeof createMockBackend>) =>
  backend.snapshot().skus.find((s) => s.productStockId === 311191)?.available;

/** A page load: a new backend over the storage, and the app's client with the token it kept. */
function load(storage: Storage, accessToken?: string) {
  const backend = createMockBackend({ baseUrl: base, persist: { storage } });
  const client = createStockproofClient({ baseUrl: base, ...demoCredentials, fetch: backend.fetch });
  client.useAccessToken(accessToken);
  return { backend, client };
}

afterEach(() => {
  sessionStorage.clear();
  localStorage.clear();
});

describe("persist", () => {
  it("a reservation made before a navigation is paid after it, with the token issued before", async () => {
    const first = load(sessionStorage);
    const stock = available(first.backend) ?? 0;
    await first.client.login("buyer@example.com", "buyer-password");
    const reserved = await first.client.reserve(line, { paymentOrderId: "P_persist_1" });
    expect(reserved.data?.status).toBe("RESERVED");

    const second = load(sessionStorage, first.client.accessToken);
    expect(available(second.backend)).toBe(stock - 2);
    expect(second.backend.snapshot().orders.map((o) => [o.paymentOrderId, o.status])).toEqual([
      ["P_persist_1", "RESERVED"],
    ]);
    expect((await second.client.pay("P_persist_1")).data?.status).toBe("PAID");

    const third = load(sessionStorage);
    expect(third.backend.snapshot().skus.find((s) => s.productStockId === 311191)).toMatchObject({
      available: stock - 2,
      held: 0,
      paid: 2,
    });
    expect(third.backend.snapshot().invariantHolds).toBe(true);
  });

  it("reset() writes the catalog's state back: the next load has no order and the full stock", async () => {
    const first = load(localStorage);
    const stock = available(first.backend);
    await first.client.login("buyer@example.com", "buyer-password");
    await first.client.reserve(line);
    first.backend.reset();
    const second = load(localStorage);
    expect(second.backend.snapshot().orders).toEqual([]);
    expect(available(second.backend)).toBe(stock);
  });

  it("a spent refresh token stays spent across a load", async () => {
    const first = load(sessionStorage);
    await first.client.login("buyer@example.com", "buyer-password");
    const form = (token: string) =>
      new Request(`${base}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: token,
          client_id: demoCredentials.clientId,
          client_secret: demoCredentials.clientSecret,
        }),
      });
    const login = await first.backend.fetch(
      new Request(`${base}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "password",
          username: "buyer@example.com",
          password: "buyer-password",
          client_id: demoCredentials.clientId,
          client_secret: demoCredentials.clientSecret,
        }),
      }),
    );
    const { refresh_token } = (await login.json()) as { refresh_token: string };
    expect((await first.backend.fetch(form(refresh_token))).status).toBe(200);
    const second = load(sessionStorage);
    const replay = await second.backend.fetch(form(refresh_token));
    expect(replay.status).toBe(400);
    expect(((await replay.json()) as { error: string }).error).toBe("invalid_grant");
  });

  it("a changed catalog or a value that is not a whole state starts from the catalog", () => {
    const first = load(sessionStorage);
    first.backend.setStock([{ productStockId: 311191, quantity: 3 }]);
    const catalog = {
      products: [{ productStockId: 42, productId: 7, productName: "Mug", color: "RED", size: "M", stock: 5 }],
    };
    const other = createMockBackend({ baseUrl: base, catalog, persist: { storage: sessionStorage } });
    expect(other.snapshot().skus.map((s) => [s.productStockId, s.available])).toEqual([[42, 5]]);

    sessionStorage.setItem("stockproof-mock", '{"version":1,"stock":');
    const fresh = load(sessionStorage);
    expect(fresh.backend.snapshot().orders).toEqual([]);
    expect(fresh.backend.snapshot().invariantHolds).toBe(true);
  });

  it("is off by default: nothing is written", async () => {
    const backend = createMockBackend({ baseUrl: base });
    backend.setStock([{ productStockId: 311191, quantity: 3 }]);
    expect(sessionStorage.length + localStorage.length).toBe(0);
  });
});

describe("persist when the storage refuses a write", () => {
  it("the mock answers from memory and warns once; the next load starts from what was last kept", async () => {
    let room = true;
    const kept = new Map<string, string>();
    const storage = {
      getItem: (key: string) => kept.get(key) ?? null,
      setItem(key: string, value: string) {
        if (!room) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        kept.set(key, value);
      },
      removeItem: (key: string) => void kept.delete(key),
    };
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args[0]);
    try {
      const backend = createMockBackend({ baseUrl: base, persist: { storage } });
      const client = createStockproofClient({ baseUrl: base, ...demoCredentials, fetch: backend.fetch });
      await client.login("buyer@example.com", "buyer-password");
      room = false;
      expect((await client.reserve(line)).data?.status).toBe("RESERVED");
      expect((await client.reserve(line)).data?.status).toBe("RESERVED");
      expect(backend.snapshot().orders).toHaveLength(2);
      expect(warnings).toEqual([expect.stringContaining("could not be kept in storage")]);
      const next = createMockBackend({ baseUrl: base, persist: { storage } });
      expect(next.snapshot().orders).toEqual([]);
    } finally {
      console.warn = warn;
    }
  });
});
