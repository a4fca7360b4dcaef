import { beforeEach, describe, expect, it } from "vitest";
import { cutConnectionHeader } from "../../../src/backend/http/test-control/cut-connection.js";
import { defaultAdminKey } from "../../../src/base/config/defaults.js";
import { type ReceivedResponse, reserve, type SentRequest } from "../../../src/verify/calls/index.js";
import {
  clearFaultsRequest,
  listRequestsRequest,
  payRequest,
  reserveLines,
  setFaultsRequest,
  setStockRequest,
} from "../../../src/verify/calls/requests.js";
import type { MatrixContext } from "../../helpers/matrix/describe-matrix.js";
import { json } from "../../helpers/matrix/judge.js";

type Json = Record<string, unknown>;
const key = defaultAdminKey;
const sku = 311191;
const untimed = (snapshot: Json) => ({ ...snapshot, takenAt: null });
const availableOf = (snapshot: Json, id = sku) =>
  (snapshot.skus as { productStockId: number; available: number }[]).find((s) => s.productStockId === id)?.available;

/**
 * The answer, or how the connection was dropped: over a socket, the client's error code (a reset is
 * ECONNRESET, a plain close undici's UND_ERR_SOCKET); in-process, the fetch targets' marks for a cut.
 */
async function outcome(ctx: MatrixContext, request: SentRequest): Promise<ReceivedResponse | { cut: string }> {
  try {
    const response = await ctx.send(request);
    if (response.status === 0) return { cut: "Response.error()" };
    const mark = response.headers[cutConnectionHeader];
    return mark === undefined ? response : { cut: `marked ${mark}` };
  } catch (error) {
    const { code, cause } = error as { code?: string; cause?: { code?: string } };
    return { cut: code ?? cause?.code ?? String(error) };
  }
}
const socketError = { connectionReset: "ECONNRESET", emptyReply: "UND_ERR_SOCKET" } as const;

async function setFaults(ctx: MatrixContext, rules: readonly unknown[]): Promise<Json> {
  const response = await ctx.send(setFaultsRequest(key, rules));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return json(response);
}

async function journal(ctx: MatrixContext, since?: string): Promise<Json[]> {
  const response = await ctx.send(listRequestsRequest(key, since));
  expect(response.status).toBe(200);
  return json(response).requests as Json[];
}

/**
 * Test control on every target: Prefer, the fault rules and the request journal answer the same on
 * the in-process app, a listening server, the MSW backend and `stockproof serve`.
 */
export function testControlBehaviour(ctx: MatrixContext): void {
  let token = "";
  const reserveOne = (id: string, productStockId = sku, count = 1) =>
    reserveLines(token, id, [{ productStockId, orderCount: count }]);

  beforeEach(async () => {
    await ctx.reset();
    token = (await ctx.tokens()).token;
  });

  describe("Prefer", () => {
    it("forces the declared 503 with its retry hint and changes no state", async () => {
      const before = await ctx.snapshot();
      const request = reserveOne(ctx.nextId());
      const response = await ctx.send({ ...request, headers: { ...request.headers, prefer: "code=503" } });
      expect(response.status).toBe(503);
      expect(json(response).code).toBe("STORE_BUSY");
      expect(response.headers["retry-after"]).toMatch(/^[0-9]+$/);
      expect(response.headers["preference-applied"]).toBe("code=503, example=STORE_BUSY");
      expect(untimed(await ctx.snapshot())).toEqual(untimed(before));
    });

    it("refuses a code the operation does not declare, naming the declared ones, and changes nothing", async () => {
      const before = await ctx.snapshot();
      const request = reserveOne(ctx.nextId());
      const response = await ctx.send({ ...request, headers: { ...request.headers, prefer: "code=404" } });
      expect(response.status).toBe(400);
      expect(json(response).code).toBe("INVALID_PARAMETER");
      expect(String(json(response).detail)).toContain("reserveStock does not declare status 404");
      expect(String(json(response).detail)).toContain("409 (OUT_OF_STOCK, DUPLICATE_PAYMENT_ORDER)");
      expect(json(response).errors).toEqual([expect.objectContaining({ path: "header.Prefer" })]);
      expect(untimed(await ctx.snapshot())).toEqual(untimed(before));
    });

    it("ignores preferences it does not know: the operation runs", async () => {
      const request = reserveOne(ctx.nextId());
      const response = await ctx.send({ ...request, headers: { ...request.headers, prefer: "return=minimal" } });
      expect(response.status).toBe(200);
      expect(response.headers["preference-applied"]).toBeUndefined();
    });
  });

  describe("fault rules", () => {
    it("answer 503 to the next reservation only, then let the real one through; the snapshot lists the rule", async () => {
      const set = await setFaults(ctx, [{ operationId: "reserveStock", status: 503, times: 1 }]);
      expect(set.rules).toEqual([
        {
          id: expect.any(Number),
          rule: { operationId: "reserveStock", status: 503, times: 1 },
          applied: 0,
          remaining: 1,
        },
      ]);
      const before = await ctx.snapshot();
      const busy = await ctx.send(reserveOne(ctx.nextId()));
      expect([busy.status, json(busy).code, busy.headers["retry-after"]]).toEqual([503, "STORE_BUSY", "1"]);
      const after = await ctx.snapshot();
      expect(availableOf(after)).toBe(availableOf(before));
      expect(after.faults).toEqual([expect.objectContaining({ applied: 1, remaining: 0 })]);
      const real = await ctx.send(reserveOne(ctx.nextId()));
      expect(real.status).toBe(200);
      expect(availableOf(await ctx.snapshot())).toBe((availableOf(before) ?? 0) - 1);
    });

    it("delay a reservation that still reserves after the delay", async () => {
      await setFaults(ctx, [{ operationId: "reserveStock", delayMs: 300 }]);
      const before = await ctx.snapshot();
      const started = performance.now();
      const id = ctx.nextId();
      const response = await ctx.send(reserveOne(id));
      expect(performance.now() - started).toBeGreaterThanOrEqual(290);
      expect(response.status).toBe(200);
      const after = await ctx.snapshot();
      expect(availableOf(after)).toBe((availableOf(before) ?? 0) - 1);
      expect((after.orders as Json[]).map((o) => o.paymentOrderId)).toContain(id);
      const [entry] = (await journal(ctx)).filter((e) => e.operationId === "reserveStock");
      expect(entry).toMatchObject({ status: 200, delayedMs: 300, forcedBy: null, paymentOrderId: id });
      expect(entry?.durationMs).toBeGreaterThanOrEqual(290);
    });

    it("match one SKU or one paymentOrderId only, and apply until cleared", async () => {
      const paid = ctx.nextId();
      expect((await ctx.send(reserveOne(paid))).status).toBe(200);
      await setFaults(ctx, [
        { operationId: "reserveStock", productStockId: 800001, code: "OUT_OF_STOCK" },
        { operationId: "payOrder", paymentOrderId: paid, status: 503 },
      ]);
      for (let round = 0; round < 2; round++) {
        const forced = await ctx.send(reserveOne(ctx.nextId(), 800001));
        expect([forced.status, json(forced).code]).toEqual([409, "OUT_OF_STOCK"]);
        expect((await ctx.send(payRequest(token, paid))).status).toBe(503);
      }
      expect((await ctx.send(reserveOne(ctx.nextId(), sku))).status).toBe(200);
      const other = ctx.nextId();
      expect((await ctx.send(reserveOne(other))).status).toBe(200);
      expect((await ctx.send(payRequest(token, other))).status).toBe(200);
      const cleared = await ctx.send(clearFaultsRequest(key));
      expect(json(cleared).rules).toEqual([]);
      expect((await ctx.send(reserveOne(ctx.nextId(), 800001))).status).toBe(200);
      expect((await ctx.send(payRequest(token, paid))).status).toBe(200);
    });

    for (const transport of ["connectionReset", "emptyReply"] as const) {
      it(`cut the connection (${transport}) without an answer and without a change`, async () => {
        await setFaults(ctx, [{ operationId: "reserveStock", transport, times: 1 }]);
        const before = await ctx.snapshot();
        const cut = await outcome(ctx, reserveOne(ctx.nextId()));
        expect(cut).toEqual({ cut: expect.any(String) });
        if ("cut" in cut && !/^(Response|marked)/.test(cut.cut)) expect(cut.cut).toBe(socketError[transport]);
        if ("cut" in cut && cut.cut.startsWith("marked")) expect(cut.cut).toBe(`marked ${transport}`);
        expect(availableOf(await ctx.snapshot())).toBe(availableOf(before));
        expect((await journal(ctx)).filter((e) => e.operationId === "reserveStock")).toEqual([
          expect.objectContaining({ status: 0, code: null, forcedBy: "fault" }),
        ]);
        expect((await ctx.send(reserveOne(ctx.nextId()))).status).toBe(200);
      });
    }

    it("refuse a bad rule list whole, naming the field, with the rules in force untouched", async () => {
      const inForce = json(await ctx.send(setFaultsRequest(key, [{ operationId: "payOrder", delayMs: 5 }]))).rules;
      const cases: [unknown[], string][] = [
        [
          [
            { operationId: "reserveStock", delayMs: 1 },
            { operationId: "shipOrder", status: 503 },
          ],
          "rules[1].operationId",
        ],
        [[{ operationId: "reserveStock", status: 404 }], "rules[0].status"],
        [[{ operationId: "payOrder", code: "OUT_OF_STOCK" }], "rules[0].code"],
        [[{ operationId: "reserveStock", delayMs: 600_000 }], "rules[0].delayMs"],
        [[{ operationId: "cancelOrder", productStockId: sku, status: 503 }], "rules[0].productStockId"],
        [[{ operationId: "reserveStock", times: 0, delayMs: 1 }], "rules[0].times"],
      ];
      for (const [rules, field] of cases) {
        const response = await ctx.send(setFaultsRequest(key, rules));
        expect(response.status, JSON.stringify(rules)).toBe(400);
        expect(json(response).code).toBe("INVALID_PARAMETER");
        expect((json(response).errors as Json[]).map((e) => e.path)).toContain(field);
        expect(String(json(response).detail)).toContain(field);
      }
      expect((await ctx.snapshot()).faults).toEqual(inForce);
    });

    it("are cleared by reset", async () => {
      await setFaults(ctx, [{ operationId: "reserveStock", status: 503 }]);
      await ctx.reset();
      expect((await ctx.snapshot()).faults).toEqual([]);
      expect((await ctx.send(reserveOne(ctx.nextId()))).status).toBe(200);
    });
  });

  describe("the request journal", () => {
    // Each test reads the journal from empty, in whatever order the tests run.
    beforeEach(() => ctx.reset());

    it("records each public request with its reservation's lines, and no token or password", async () => {
      const id = ctx.nextId();
      const started = new Date().toISOString();
      await ctx.call(reserve, { id, token });
      const request = reserveLines(token, ctx.nextId(), [
        { productStockId: sku, orderCount: 2 },
        { productStockId: 800001, orderCount: 3 },
      ]);
      await ctx.send({ ...request, headers: { ...request.headers, prefer: "code=503" } });
      await ctx.send(setStockRequest(key, [{ productStockId: sku, quantity: 7 }]));
      const entries = await journal(ctx);
      expect(entries.map((e) => [e.method, e.operationId, e.status, e.code, e.forcedBy])).toEqual([
        ["GET", "reserveStock", 200, null, null],
        ["GET", "reserveStock", 503, "STORE_BUSY", "prefer"],
      ]);
      expect(entries[0]).toMatchObject({
        path: "/orders/payment/choice",
        paymentOrderId: id,
        lines: [{ productStockId: sku, count: 1 }],
      });
      expect(entries[1]?.lines).toEqual([
        { productStockId: sku, count: 2 },
        { productStockId: 800001, count: 3 },
      ]);
      expect(Date.parse(String(entries[0]?.at))).toBeGreaterThanOrEqual(Date.parse(started) - 5);
      const text = JSON.stringify(entries);
      expect(text).not.toContain(token);
      expect(text).not.toContain("buyer-password");
      // `since` keeps the entries from that instant on.
      const since = String(entries[1]?.at);
      const later = await journal(ctx, since);
      expect(later.at(-1)).toEqual(entries[1]);
      expect(later.every((e) => Date.parse(String(e.at)) >= Date.parse(since))).toBe(true);
      expect(await journal(ctx, new Date(Date.now() + 60_000).toISOString())).toEqual([]);
    });

    it("records a login without its password or the tokens it issued", async () => {
      const login = await ctx.call("createToken: password grant");
      const entries = await journal(ctx);
      expect(entries.map((e) => [e.operationId, e.status])).toEqual([["createToken", 200]]);
      const text = JSON.stringify(entries);
      expect(text).not.toContain(String(json(login).access_token));
      expect(text).not.toContain("buyer-password");
      expect(text).not.toContain("secret");
    });

    it("is bounded and emptied by reset", async () => {
      await ctx.send(reserveOne(ctx.nextId()));
      const body = json(await ctx.send(listRequestsRequest(key)));
      expect(body).toMatchObject({ capacity: 1000, dropped: 0 });
      expect(body.requests).toHaveLength(1);
      await ctx.reset();
      expect(await journal(ctx)).toEqual([]);
    });
  });
}
