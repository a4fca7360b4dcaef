import fc from "fast-check";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMockBackend } from "../../src/msw/index.js";
import { createFakeClock } from "../helpers/fake-clock.js";
import { buyer, other, type RunningReference, startReference } from "../helpers/reference.js";
import { calls, essence, stockLevels } from "./calls.js";
import { type Call, fetchTarget, type Target, undiciTarget } from "./transport.js";

// The mock lives on an origin nothing listens on: if MSW failed to intercept, the call would be refused.
const mockBase = "http://127.0.0.1:1/api";

type Tokens = Record<string, string>;
interface Step {
  readonly says: string;
  readonly status: number;
  readonly call: (tokens: Tokens) => Call;
  /** Keep the access token of a 200 answer under this name. */
  readonly keep?: string;
}

const lines = (productStockId: number, orderCount: number) => [{ productStockId, orderCount }];
const seedCustomData = (data: string) =>
  new URLSearchParams({
    storeId: "itsdcode",
    merchantId: "itsdcode",
    amount: "1500",
    timestamp: "20210621",
    paymentOrderId: "testorder210621112151",
    customData: data,
  });

/** The seed's flow and every refusal the issue names, in one order that builds on itself. */
const sequence: Step[] = [
  { says: "buyer logs in", status: 200, keep: "buyer", call: () => calls.token({ grant_type: "password", ...buyer }) },
  { says: "other logs in", status: 200, keep: "other", call: () => calls.token({ grant_type: "password", ...other }) },
  {
    says: "a read-only token",
    status: 200,
    keep: "reader",
    call: () => calls.token({ grant_type: "password", scope: "read", ...buyer }),
  },
  {
    says: "wrong password",
    status: 400,
    call: () => calls.token({ grant_type: "password", username: buyer.username, password: "nope" }),
  },
  {
    says: "unknown client",
    status: 401,
    call: () => calls.token({ grant_type: "password", ...buyer, client_id: "stranger" }),
  },
  { says: "unsupported grant", status: 400, call: () => calls.token({ grant_type: "client_credentials" }) },
  {
    says: "refresh",
    status: 200,
    keep: "refreshed",
    call: (t) => calls.token({ grant_type: "refresh_token", refresh_token: t["buyer:refresh"] ?? "" }),
  },
  {
    says: "the used refresh token again (refresh tokens are single-use)",
    status: 400,
    call: (t) => calls.token({ grant_type: "refresh_token", refresh_token: t["buyer:refresh"] ?? "" }),
  },
  {
    says: "the refresh token the refresh answered",
    status: 200,
    call: (t) => calls.token({ grant_type: "refresh_token", refresh_token: t["refreshed:refresh"] ?? "" }),
  },
  {
    says: "a padded access token (not its canonical spelling)",
    status: 401,
    call: (t) => calls.reserve(`${t.buyer ?? ""}=`, "P-0", lines(311191, 1)),
  },
  {
    says: "an access token used as a refresh token",
    status: 400,
    call: (t) => calls.token({ grant_type: "refresh_token", refresh_token: t.buyer ?? "" }),
  },
  {
    says: "HTTP Basic client authentication",
    status: 200,
    call: () => {
      const call = calls.token({ grant_type: "password", ...buyer });
      const body = new URLSearchParams(call.body);
      body.delete("client_id");
      body.delete("client_secret");
      const basic = btoa("clientapp:secret");
      // The scheme name in lower case and two spaces: both allowed by RFC 7235.
      return { ...call, body: body.toString(), headers: { ...call.headers, authorization: `basic  ${basic}` } };
    },
  },
  {
    says: "reserve 2 of 311191 with the refreshed token",
    status: 200,
    call: (t) => calls.reserve(t.refreshed ?? null, "P-1", lines(311191, 2)),
  },
  { says: "reserve the other 48", status: 200, call: (t) => calls.reserve(t.buyer ?? null, "P-2", lines(311191, 48)) },
  { says: "sold out", status: 409, call: (t) => calls.reserve(t.buyer ?? null, "P-3", lines(311191, 1)) },
  {
    says: "a cart short on one SKU takes nothing",
    status: 409,
    call: (t) =>
      calls.reserve(t.buyer ?? null, "P-4", [
        { productStockId: 800001, orderCount: 2 },
        { productStockId: 311191, orderCount: 1 },
      ]),
  },
  {
    says: "duplicate paymentOrderId",
    status: 409,
    call: (t) => calls.reserve(t.buyer ?? null, "P-1", lines(800001, 1)),
  },
  { says: "unknown SKU", status: 400, call: (t) => calls.reserve(t.buyer ?? null, "P-5", lines(999999, 1)) },
  {
    says: "malformed customData",
    status: 400,
    call: (t) => calls.reserveQuery(t.buyer ?? null, seedCustomData('{"productStockList":[')),
  },
  {
    says: "a zero count",
    status: 400,
    call: (t) => calls.reserve(t.buyer ?? null, "P-6", lines(800001, 0)),
  },
  {
    says: "the seed's own sample (productInfoList, amount 1500 vs finalAmount 3000)",
    status: 200,
    call: (t) =>
      calls.reserveQuery(
        t.buyer ?? null,
        seedCustomData(
          JSON.stringify({
            finalAmount: 3000,
            productStockList: null,
            productInfoList: [{ productId: 800002, color: "NONE", size: "FREE", count: 3 }],
          }),
        ),
      ),
  },
  { says: "cancel", status: 200, call: (t) => calls.cancel(t.buyer ?? null, "P-1") },
  { says: "repeat cancel", status: 200, call: (t) => calls.cancel(t.buyer ?? null, "P-1") },
  { says: "pay after cancel", status: 409, call: (t) => calls.pay(t.buyer ?? null, "P-1") },
  { says: "pay", status: 200, call: (t) => calls.pay(t.buyer ?? null, "P-2") },
  { says: "repeat pay", status: 200, call: (t) => calls.pay(t.buyer ?? null, "P-2") },
  { says: "cancel after pay", status: 409, call: (t) => calls.cancel(t.buyer ?? null, "P-2") },
  {
    says: "reserve again after the cancel",
    status: 200,
    call: (t) => calls.reserve(t.buyer ?? null, "P-7", lines(311191, 2)),
  },
  { says: "foreign order: other pays buyer's", status: 404, call: (t) => calls.pay(t.other ?? null, "P-7") },
  { says: "foreign order: other cancels buyer's", status: 404, call: (t) => calls.cancel(t.other ?? null, "P-7") },
  { says: "unknown order", status: 404, call: (t) => calls.pay(t.buyer ?? null, "P-nothing") },
  { says: "missing token", status: 401, call: () => calls.reserve(null, "P-8", lines(800001, 1)) },
  { says: "bad token", status: 401, call: () => calls.pay("not.a.jwt", "P-7") },
  { says: "scope without write", status: 403, call: (t) => calls.cancel(t.reader ?? null, "P-7") },
  { says: "admin without the key", status: 401, call: () => calls.snapshot("wrong-key") },
];

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
    await real.send(calls.reset());
    await mock.send(calls.reset());
    intercepted.length = 0;
  });

  it("gives the same status, code and order state at every step, and the same final stock", async () => {
    const tokens: Record<string, Tokens> = { reference: {}, msw: {} };
    for (const step of sequence) {
      const answers = [];
      for (const target of [real, mock]) {
        const own = tokens[target.name] as Tokens;
        const response = await target.send(step.call(own));
        if (step.keep !== undefined && response.status === 200) {
          own[step.keep] = response.body.access_token as string;
          own[`${step.keep}:refresh`] = response.body.refresh_token as string;
        }
        answers.push(essence(response));
      }
      const [fromReference, fromMock] = answers;
      expect(fromReference?.status, `reference: ${step.says}`).toBe(step.status);
      expect(fromMock, `msw differs from the reference: ${step.says}`).toEqual(fromReference);
    }

    const finalReference = await real.send(calls.snapshot());
    const finalMock = await mock.send(calls.snapshot());
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
    expect(intercepted.length).toBe(sequence.length + 1);
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
    const tokens: Record<string, Tokens> = {};
    for (const target of [real, mock]) {
      const own: Tokens = {};
      for (const [name, user] of [
        ["buyer", buyer],
        ["other", other],
      ] as const) {
        own[name] = (await target.send(calls.token({ grant_type: "password", ...user }))).body.access_token as string;
      }
      tokens[target.name] = own;
    }

    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 20 }), async (operations) => {
        const scarce = skus.map((productStockId) => ({ productStockId, quantity: 4 }));
        for (const target of [real, mock]) {
          await target.send(calls.reset());
          await target.send(calls.setStock(scarce));
        }
        for (const op of operations) {
          const [fromReference, fromMock] = await Promise.all(
            [real, mock].map(async (target) => {
              const token = (tokens[target.name] as Tokens)[op.user] ?? null;
              const call =
                op.kind === "reserve"
                  ? calls.reserve(token, op.id, op.items)
                  : op.kind === "pay"
                    ? calls.pay(token, op.id)
                    : calls.cancel(token, op.id);
              return essence(await target.send(call));
            }),
          );
          expect(fromMock).toEqual(fromReference);
        }
        const [a, b] = await Promise.all([real.send(calls.snapshot()), mock.send(calls.snapshot())]);
        expect(a.body.invariantHolds).toBe(true);
        expect(stockLevels(b.body)).toEqual(stockLevels(a.body));
      }),
      { numRuns: 25 },
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
    const both = async (call: (token: string | null) => Call, tokens: (string | null)[]) => {
      const [fromReference, fromMock] = await Promise.all(
        targets.map((target, i) => target.send(call(tokens[i] ?? null))),
      );
      if (fromReference === undefined || fromMock === undefined) throw new Error("two targets, two answers");
      expect(essence(fromMock)).toEqual(essence(fromReference));
      return [fromReference, fromMock] as const;
    };
    const logins = await both(() => calls.token({ grant_type: "password", ...buyer }), []);
    const tokens = logins.map((login) => login.body.access_token as string);

    const [reserved] = await both((t) => calls.reserve(t, "T-1", lines(311191, 5)), tokens);
    expect(reserved.status).toBe(200);
    clock.advance(holdTtlMs - 1);
    await both((t) => calls.reserve(t, "T-2", lines(311191, 1)), tokens);
    clock.advance(1);
    const [late] = await both((t) => calls.pay(t, "T-1"), tokens);
    expect(late.body.code).toBe("ORDER_EXPIRED");
    await both((t) => calls.cancel(t, "T-1"), tokens);
    const [referenceStock, mockStock] = await both(() => calls.snapshot(), []);
    expect(referenceStock.body.invariantHolds).toBe(true);
    expect(stockLevels(mockStock.body)).toEqual(stockLevels(referenceStock.body));
    const seedSku = stockLevels(referenceStock.body).find((level) => level.productStockId === 311191);
    expect(seedSku?.held).toBe(1);

    clock.advance(accessTtlSeconds * 1000);
    const [lapsed] = await both((t) => calls.pay(t, "T-2"), tokens);
    expect(lapsed.status).toBe(401);
  });
});
