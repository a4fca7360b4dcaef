import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spec } from "../../src/backend/generated/spec.js";
import { demoCredentials } from "../../src/backend/msw/demo-credentials.js";
import { createMockBackend } from "../../src/backend/msw/mock-backend.js";
import { createStockproofClient } from "../../src/verify/client/index.js";
import { api } from "../helpers/api.js";
import { buyer, type RunningReference, startReference } from "../helpers/reference.js";
import { runSeed, scale } from "./support.js";

/*
 * Every paymentOrderId the spec accepts must reach its order again on pay and cancel. The id
 * travels in the query on reserve and in the path on pay and cancel, where WHATWG URL parsing (the
 * client's fetch, @hono/node-server, Request in MSW) removes the dot segments "." and ".." —
 * also when written %2E, %2e or mixed. An id that is such a segment would hold its units forever,
 * so the spec refuses it at reservation.
 */

const seed = runSeed();
const runs = scale(60, 400);
const schema = spec.components.schemas.PaymentOrderId;
const idPattern = new RegExp(schema.pattern, "u");
const allowed = (id: string) => id.length >= schema.minLength && id.length <= schema.maxLength && idPattern.test(id);

/** Ids drawn from the spec's own pattern, and short ones over an alphabet rich in dots, kept if the spec allows them. */
const candidateIds = fc
  .oneof(
    fc.stringMatching(idPattern),
    fc
      .array(fc.constantFrom(".", ".", "a", "Z", "0", "_", ":", "-"), { minLength: 1, maxLength: 5 })
      .map((parts) => parts.join("")),
  )
  .filter(allowed);

const item = { productStockId: 311191, orderCount: 1 } as const;
const typedClient = (baseUrl: string, fetch?: (request: Request) => Promise<Response>) =>
  createStockproofClient({ baseUrl, ...demoCredentials, ...(fetch === undefined ? {} : { fetch }) });

/** One raw HTTP/1.1 exchange, so the request target reaches the server exactly as written. */
function rawRequest(url: string, method: string, target: string, headers: Record<string, string>): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let text = "";
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
    const lines = Object.entries({ host: `${hostname}:${port}`, connection: "close", ...headers }).map(
      ([name, value]) => `${name}: ${value}`,
    );
    socket.write(`${method} ${target} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`);
  });
}

describe("paymentOrderIds and the path round trip", () => {
  let server: RunningReference;
  let client: ReturnType<typeof api>;
  let token: string;

  beforeAll(async () => {
    server = await startReference();
    client = api(server.url);
    token = await client.login(buyer);
  });
  afterAll(async () => server.close());

  it("refuses the dot-segment ids at reservation with INVALID_PARAMETER naming the rule, taking nothing", async () => {
    const before = await client.snapshot();
    for (const id of [".", ".."]) {
      const refused = await client.reserve(token, id, [item]);
      expect(refused.status, `reserve ${id}`).toBe(400);
      expect(refused.body.code).toBe("INVALID_PARAMETER");
      expect(refused.body.detail).toContain("query parameter paymentOrderId");
      expect(refused.body.detail).toMatch(/"\." or "\.\."/);
    }
    // Pay and cancel of such an id, however encoded, never reach an order: the path loses the segment.
    for (const segment of [".", "..", "%2E", "%2e", "%2E%2E", ".%2e", "%2e."]) {
      for (const [method, path] of [
        ["GET", "/orders/payment/kcp/payResultTest/"],
        ["DELETE", "/orders/payment/cancel/"],
      ] as const) {
        const answer = await rawRequest(server.url, method, `${path}${segment}`, { authorization: `Bearer ${token}` });
        expect(answer, `${method} ${path}${segment}`).toMatch(/^HTTP\/1\.1 404 /);
        expect(answer).toContain('"code":"NOT_FOUND"');
      }
    }
    expect((await client.snapshot()).body).toEqual({ ...before.body, takenAt: expect.any(String) });
  });

  it("accepts ids that only look like dot segments", async () => {
    // A fresh store: the property below may have drawn these ids, or paid the stock away, before this test.
    expect((await client.reset()).status).toBe(200);
    for (const id of ["...", ".a", "a.", "..a", "a..", ".:", "-.."]) {
      expect(allowed(id), id).toBe(true);
      const reserved = await client.reserve(token, id, [item]);
      expect(reserved.status, `reserve ${id}`).toBe(200);
      expect((await client.cancel(token, id)).body).toMatchObject({ paymentOrderId: id, status: "CANCELLED" });
    }
  });

  it("finds every order whose id the spec allows, on pay and on cancel, over the real server and in-process (MSW)", async () => {
    const live = typedClient(server.url);
    expect((await live.login(buyer.username, buyer.password)).data).toBeDefined();
    const mock = createMockBackend({ baseUrl: "http://mock.test" });
    const inProcess = typedClient("http://mock.test", mock.fetch);
    expect((await inProcess.login(buyer.username, buyer.password)).data).toBeDefined();
    // A fresh store, and enough stock on both backends for every run (paid units stay paid).
    expect((await client.reset()).status).toBe(200);
    expect((await client.setStock([{ productStockId: item.productStockId, quantity: runs * 2 }])).status).toBe(200);
    mock.setStock([{ productStockId: item.productStockId, quantity: runs * 2 }]);
    const used = new Set<string>();
    console.log(`order-ids property: seed ${seed} (STOCKPROOF_SEED=${seed} replays it)`);

    await fc.assert(
      fc.asyncProperty(candidateIds, fc.boolean(), async (id, payIt) => {
        // An id is reserved once; a repeat draw is already proven.
        if (used.has(id)) return;
        used.add(id);
        for (const target of [live, inProcess]) {
          const reserved = await target.reserve([item], { paymentOrderId: id });
          expect(reserved.data?.paymentOrderId, `reserve ${JSON.stringify(id)}`).toBe(id);
          const done = payIt ? await target.pay(id) : await target.cancel(id);
          expect(done.error, `${payIt ? "pay" : "cancel"} ${JSON.stringify(id)}`).toBeUndefined();
          expect(done.data).toMatchObject({ paymentOrderId: id, status: payIt ? "PAID" : "CANCELLED" });
        }
      }),
      { seed, numRuns: runs },
    );
    expect((await client.snapshot()).body.invariantHolds).toBe(true);
    expect(mock.snapshot().invariantHolds).toBe(true);
  });
});
