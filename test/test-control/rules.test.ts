import { describe, expect, it } from "vitest";
import {
  checkFaultRules,
  chooseAnswer,
  createFaultBook,
  createJournal,
  type FaultRequest,
  parsePrefer,
} from "../../src/backend/test-control/index.js";

const reserveOf = (skus: number[], paymentOrderId = "P_1"): FaultRequest => ({
  operationId: "reserveStock",
  paymentOrderId: () => paymentOrderId,
  productStockIds: () => skus,
});

describe("the Prefer header", () => {
  it("reads code and example in any order, quoted or not, with parameters and other preferences", () => {
    expect(parsePrefer("code=409, example=OUT_OF_STOCK")).toEqual({
      ok: true,
      value: { status: 409, code: "OUT_OF_STOCK" },
    });
    expect(parsePrefer('return=minimal, Example="ORDER_PAID";x=1, code=409')).toEqual({
      ok: true,
      value: { status: 409, code: "ORDER_PAID" },
    });
    expect(parsePrefer("respond-async, wait=5")).toEqual({ ok: true, value: {} });
  });

  it("refuses a code that is not a status, naming the form it takes", () => {
    expect(parsePrefer("code=busy")).toEqual({ ok: false, detail: expect.stringContaining("code=503") });
    expect(parsePrefer("example=")).toMatchObject({ ok: false });
  });
});

describe("the declared answers", () => {
  it("take the status's first declared code, or the one named, or the status a code alone names", () => {
    expect(chooseAnswer("reserveStock", { status: 409 })).toMatchObject({ ok: true, value: { code: "OUT_OF_STOCK" } });
    expect(chooseAnswer("payOrder", { code: "ORDER_EXPIRED" })).toMatchObject({ ok: true, value: { status: 409 } });
    expect(chooseAnswer("createToken", { status: 401 })).toMatchObject({ ok: true, value: { code: "invalid_client" } });
    expect(chooseAnswer("reserveStock", { status: 503 })).toMatchObject({
      ok: true,
      value: { code: "STORE_BUSY", headers: ["retry-after"], example: null },
    });
  });

  it("refuse what the operation does not declare, listing what it does", () => {
    const refused = chooseAnswer("cancelOrder", { status: 409, code: "OUT_OF_STOCK" });
    expect(refused).toMatchObject({ ok: false });
    if (!refused.ok) expect(refused.detail).toContain("409 (ORDER_PAID)");
  });
});

describe("the fault rules", () => {
  it("name the field of every bad rule, after the schema's own checks", () => {
    const checked = checkFaultRules({
      rules: [
        { operationId: "payOrder", status: 503 },
        { operationId: "cancelOrder", productStockId: 1, delayMs: 1 },
        { operationId: "reserveStock", code: "ORDER_PAID" },
      ],
    });
    expect(checked.ok ? [] : checked.errors.map((e) => e.path)).toEqual(["rules[1].productStockId", "rules[2].code"]);
    expect(checkFaultRules({ rules: [{ operationId: "payOrder", delayMs: 30_001 }] })).toMatchObject({
      ok: false,
      errors: [{ path: "rules[0].delayMs" }],
    });
  });

  it("apply the first matching rule, each for its times, and then no more", () => {
    const book = createFaultBook();
    book.replace([
      { operationId: "reserveStock", productStockId: 800001, status: 409, times: 1 },
      { operationId: "reserveStock", delayMs: 5, times: 2 },
    ]);
    expect(book.take(reserveOf([311191]))).toMatchObject({ delayMs: 5, answer: null });
    expect(book.take(reserveOf([311191, 800001]))).toMatchObject({ answer: { status: 409, code: "OUT_OF_STOCK" } });
    expect(book.take(reserveOf([800001]))).toMatchObject({ delayMs: 5 });
    expect(book.take(reserveOf([800001]))).toBeNull();
    expect(book.list().map((r) => [r.applied, r.remaining])).toEqual([
      [1, 0],
      [2, 0],
    ]);
  });

  it("read a request's SKUs only when a rule names one", () => {
    const book = createFaultBook();
    book.replace([{ operationId: "reserveStock", paymentOrderId: "P_2", status: 503 }]);
    const request = { ...reserveOf([]), productStockIds: () => expect.unreachable("SKUs read") as never };
    expect(book.take({ ...request, paymentOrderId: () => "P_1" })).toBeNull();
    expect(book.take({ ...request, paymentOrderId: () => "P_2" })).toMatchObject({ answer: { status: 503 } });
  });
});

describe("the journal", () => {
  const entry = (atMs: number) => ({
    atMs,
    method: "GET",
    path: "/x",
    operationId: null,
    status: 404,
    code: "NOT_FOUND",
    durationMs: 1,
    forcedBy: null,
  });

  it("keeps the last `capacity` entries and counts the ones it let go", () => {
    const journal = createJournal(3);
    for (let i = 0; i < 10; i++) journal.record(entry(i));
    const read = journal.read();
    expect(read.requests.map((r) => Date.parse(r.at))).toEqual([7, 8, 9]);
    expect([read.capacity, read.dropped]).toEqual([3, 7]);
    expect(journal.read(9).requests).toHaveLength(1);
    journal.clear();
    expect(journal.read()).toEqual({ capacity: 3, dropped: 0, requests: [] });
  });
});
