import fc from "fast-check";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { defaultAudience, defaultTokenSecret } from "../../src/backend/assemble.js";
import { createMockBackend } from "../../src/backend/msw/index.js";
import { defaultAdminKey } from "../../src/base/config/defaults.js";
import { createGivens } from "../../src/verify/calls/givens.js";
import {
  type CallCase,
  callNamed,
  canSend,
  caseName,
  catalogue,
  demoSettings,
  type Need,
  type OperationId,
  reserve,
  type SentRequest,
} from "../../src/verify/calls/index.js";
import {
  cancelRequest,
  payRequest,
  reserveLines,
  resetRequest,
  setStockRequest,
  snapshotRequest,
  tokenRequest,
} from "../../src/verify/calls/requests.js";
import { createFakeClock } from "../helpers/fake-clock.js";
import { judge } from "../helpers/matrix/judge.js";
import { buyer, other, type RunningReference, startReference } from "../helpers/reference.js";
import { runSeed, seedLine } from "../helpers/seed.js";
import { essence, stockLevels } from "./essence.js";
import { fetchTarget, type Target, undiciTarget } from "./transport.js";

// The mock lives on an origin nothing listens on: if MSW failed to intercept, the call would be refused.
const mockBase = "http://127.0.0.1:1/api";
const admin = defaultAdminKey;
const client = { client_id: "clientapp", client_secret: "secret" };
const login = (user: { username: string; password: string }) =>
  tokenRequest({ grant_type: "password", ...user, ...client });

/** Every need both sides can meet: no server variant (admin off, a locked store), no clock. */
const met = new Set<Need>([
  ...(["buyer", "readOnly", "other", "refreshToken", "readRefreshToken", "reserved", "paid", "cancelled"] as const),
  ...(["admin", "tokenSigning", "demoCatalog"] as const),
]);
/** The catalogue's core calls, in its order, without resets between them: each builds on the state before. */
const sequence: readonly CallCase[] = catalogue.filter((c) => c.depth === "core" && canSend(c, met));

/** One side of the comparison: a transport and its own set-up of what each call needs (same ids on both sides). */
function side(target: Target) {
  let ids = 0;
  const givens = createGivens({
    settings: demoSettings,
    exec: (c, request) => target.send(c.operationId, request),
    nextId: () => `D-${++ids}`,
    signing: { secret: defaultTokenSecret, audience: defaultAudience },
  });
  return {
    target,
    async send(c: CallCase) {
      return target.send(c.operationId, await c.request(await givens.resolve(c)));
    },
  };
}

describe("MSW handlers and the reference server answer alike", () => {
  let reference: RunningReference;
  let real: Target;
  let mock: Target;
  const backend = createMockBackend({ baseUrl: mockBase });
  const server = setupServer(...backend.handlers);
  const intercepted: string[] = [];
  server.events.on("request:start", ({ request }) => {
    intercepted.push(request.url);
  });

  beforeAll(async () => {
    reference = await startReference();
    real = undiciTarget("reference", reference.url);
    mock = fetchTarget("msw", mockBase);
    // Any request MSW sees that no handler matches fails the test rather than reaching the network.
    server.listen({ onUnhandledRequest: "error" });
  });
  afterAll(async () => {
    server.close();
    await reference?.close();
  });
  beforeEach(async () => {
    await real.send("resetStore", resetRequest(admin));
    await mock.send("resetStore", resetRequest(admin));
    intercepted.length = 0;
  });

  it("gives the same status, code and order state at every call of the catalogue, and the same final stock", async () => {
    const sentBefore = mock.sent;
    const [reference_, msw] = [side(real), side(mock)];
    for (const c of sequence) {
      const fromReference = await reference_.send(c);
      const fromMock = await msw.send(c);
      expect(fromReference.status, `reference: ${caseName(c)}`).toBe(c.expect.status);
      expect(essence(fromMock), `msw differs from the reference: ${caseName(c)}`).toEqual(essence(fromReference));
    }

    const finalReference = await real.send("getSnapshot", snapshotRequest(admin));
    const finalMock = await mock.send("getSnapshot", snapshotRequest(admin));
    expect(finalReference.body.invariantHolds).toBe(true);
    expect(stockLevels(finalMock.body)).toEqual(stockLevels(finalReference.body));
    // The reference really served the reference side (its own store has the orders), and MSW saw only mock calls.
    expect(
      reference.reference.service
        .snapshot()
        .orders.map((o) => o.paymentOrderId)
        .sort(),
    ).toEqual(
      backend
        .snapshot()
        .orders.map((o) => o.paymentOrderId)
        .sort(),
    );
    expect(sequence.length).toBeGreaterThanOrEqual(50);
    expect(intercepted.length).toBe(mock.sent - sentBefore);
    expect(intercepted.every((url) => url.startsWith(mockBase))).toBe(true);
  });

  it("stays alike over random sequences of reserve, pay and cancel by two users on scarce stock", async () => {
    const ids = ["R-1", "R-2", "R-3", "R-4", "R-5"];
    const skus = [311191, 800001];
    const operation = fc.oneof(
      fc.record({
        kind: fc.constant("reserve" as const),
        user: fc.constantFrom("buyer", "other"),
        id: fc.constantFrom(...ids),
        items: fc.uniqueArray(
          fc.record({ productStockId: fc.constantFrom(...skus), orderCount: fc.integer({ min: 1, max: 3 }) }),
          { minLength: 1, maxLength: 2, selector: (item) => item.productStockId },
        ),
      }),
      fc.record({
        kind: fc.constantFrom("pay" as const, "cancel" as const),
        user: fc.constantFrom("buyer", "other"),
        id: fc.constantFrom(...ids),
      }),
    );
    const tokens: Record<string, Record<string, string>> = {};
    for (const target of [real, mock]) {
      const own: Record<string, string> = {};
      for (const [name, user] of [
        ["buyer", buyer],
        ["other", other],
      ] as const) {
        own[name] = (await target.send("createToken", login(user))).body.access_token as string;
      }
      tokens[target.name] = own;
    }

    const seed = runSeed();
    console.log(seedLine("msw differential", seed, "25 sequences"));
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 20 }), async (operations) => {
        const scarce = skus.map((productStockId) => ({ productStockId, quantity: 4 }));
        for (const target of [real, mock]) {
          await target.send("resetStore", resetRequest(admin));
          await target.send("setStock", setStockRequest(admin, scarce));
        }
        for (const op of operations) {
          const [fromReference, fromMock] = await Promise.all(
            [real, mock].map(async (target) => {
              const token = tokens[target.name]?.[op.user] ?? null;
              const [operationId, request]: [OperationId, SentRequest] =
                op.kind === "reserve"
                  ? ["reserveStock", reserveLines(token, op.id, op.items)]
                  : op.kind === "pay"
                    ? ["payOrder", payRequest(token, op.id)]
                    : ["cancelOrder", cancelRequest(token, op.id)];
              return essence(await target.send(operationId, request));
            }),
          );
          expect(fromMock).toEqual(fromReference);
        }
        const [a, b] = await Promise.all([real, mock].map((t) => t.send("getSnapshot", snapshotRequest(admin))));
        if (a === undefined || b === undefined) throw new Error("two targets, two answers");
        expect(a.body.invariantHolds).toBe(true);
        expect(stockLevels(b.body)).toEqual(stockLevels(a.body));
      }),
      { numRuns: 25, seed },
    );
  });
});

describe("MSW handlers and the reference server expire alike", () => {
  const holdTtlMs = 60_000;
  const accessTtlSeconds = 600;
  const clock = createFakeClock();
  const timedBase = "http://127.0.0.1:2/api";
  const backend = createMockBackend({ baseUrl: timedBase, clock: clock.now, holdTtlMs, accessTtlSeconds });
  const server = setupServer(...backend.handlers);
  let reference: RunningReference;

  beforeAll(async () => {
    reference = await startReference({ clock: clock.now, rules: { holdTtlMs }, accessTtlSeconds });
    server.listen({ onUnhandledRequest: "error" });
  });
  afterAll(async () => {
    server.close();
    await reference?.close();
  });

  it("lets an unpaid hold expire and its stock return, and an access token lapse, at the same instants", async () => {
    const targets = [undiciTarget("reference", reference.url), fetchTarget("msw", timedBase)];
    /** Sends the call to both, asserts the reference gives the catalogue's answer and MSW the same essence. */
    const both = async (
      name: string,
      request: (token: string | null) => SentRequest,
      tokens: (string | null)[] = [],
    ) => {
      const c = callNamed(name);
      const [fromReference, fromMock] = await Promise.all(
        targets.map((target, i) => target.send(c.operationId, request(tokens[i] ?? null))),
      );
      if (fromReference === undefined || fromMock === undefined) throw new Error("two targets, two answers");
      judge(c, fromReference);
      expect(essence(fromMock)).toEqual(essence(fromReference));
      return [fromReference, fromMock] as const;
    };
    const logins = await both("createToken: password grant", () => login(buyer));
    const tokens = logins.map((answer) => answer.body.access_token as string);

    await both(caseName(reserve), (t) => reserveLines(t, "T-1", [{ productStockId: 311191, orderCount: 5 }]), tokens);
    clock.advance(holdTtlMs - 1);
    await both(caseName(reserve), (t) => reserveLines(t, "T-2", [{ productStockId: 311191, orderCount: 1 }]), tokens);
    clock.advance(1);
    await both("payOrder: pay an order whose hold expired", (t) => payRequest(t, "T-1"), tokens);
    await both("cancelOrder: cancel an order whose hold expired", (t) => cancelRequest(t, "T-1"), tokens);
    const [referenceStock, mockStock] = await both("getSnapshot: snapshot", () => snapshotRequest(admin));
    expect(referenceStock.body.invariantHolds).toBe(true);
    expect(stockLevels(mockStock.body)).toEqual(stockLevels(referenceStock.body));
    const seedSku = stockLevels(referenceStock.body).find((level) => level.productStockId === 311191);
    expect(seedSku?.held).toBe(1);

    clock.advance(accessTtlSeconds * 1000);
    await both("payOrder: an access token past its lifetime", (t) => payRequest(t, "T-2"), tokens);
  });
});
