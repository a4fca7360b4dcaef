import { describe, expect, it } from "vitest";
import type { PhaseHistory } from "../../src/verify/scenario/check/history.js";
import { judgeOrders } from "../../src/verify/scenario/check/orders.js";
import { judgeOversell } from "../../src/verify/scenario/check/stock.js";
import type { Observation } from "../../src/verify/scenario/runner.js";

const buyer = { name: "buyer", username: "buyer@example.com" };
const other = { name: "other", username: "other@example.com" };

/** A hand-made history: each observation takes one time unit, in order. */
function history(steps: [kind: "reserve" | "cancel", id: string, user: typeof buyer, ok: boolean][], stock: number) {
  let t = 0;
  const sent = steps.map(
    ([kind, id, user, ok], seq) =>
      ({
        request: {
          seq,
          kind,
          paymentOrderId: id,
          user,
          lines: kind === "reserve" ? [{ sku: 1, count: 1 }] : [],
          caseName: kind,
          round: 0,
          raced: false,
        },
        sentAt: t,
        endedAt: ++t,
        status: ok ? 200 : 404,
        outcome: ok ? "ok" : "ORDER_NOT_FOUND",
        klass: ok ? "ok" : "rejected",
        detail: null,
      }) as unknown as Observation,
  );
  const orders = new Map<
    string,
    { paymentOrderId: string; reserves: Observation[]; pays: Observation[]; cancels: Observation[] }
  >();
  for (const o of sent) {
    const id = o.request.paymentOrderId;
    const entry = orders.get(id) ?? { paymentOrderId: id, reserves: [], pays: [], cancels: [] };
    (o.request.kind === "reserve" ? entry.reserves : entry.cancels).push(o);
    orders.set(id, entry);
  }
  return {
    run: { name: "main", after: null },
    orders,
    initial: new Map([[1, stock]]),
    sent,
  } as unknown as PhaseHistory;
}

describe("the oversell check", () => {
  it("is not blinded by refused cancels from another user", () => {
    // Stock 1, three holds accepted; each followed by another user's cancel that was refused.
    const h = history(
      [0, 1, 2].flatMap((i) => [
        ["reserve", `o${i}`, buyer, true],
        ["cancel", `o${i}`, other, false],
      ]) as [kind: "reserve" | "cancel", id: string, user: typeof buyer, ok: boolean][],
      1,
    );
    expect(judgeOversell(h).length).toBeGreaterThan(0);
  });

  it("lets an owner's accepted cancel release the hold", () => {
    const h = history(
      [0, 1, 2].flatMap((i) => [
        ["reserve", `o${i}`, buyer, true],
        ["cancel", `o${i}`, buyer, true],
      ]) as [kind: "reserve" | "cancel", id: string, user: typeof buyer, ok: boolean][],
      1,
    );
    expect(judgeOversell(h)).toEqual([]);
  });
});

describe("the order check", () => {
  it("flags pay and cancel both answered 200 even when the reservation's own answer was lost", () => {
    const h = history([["reserve", "o1", buyer, true]], 5);
    const [reserve] = h.sent as Observation[];
    // The reservation timed out on the client; the server may well have applied it.
    const lost = {
      ...reserve,
      status: null,
      outcome: "TIMEOUT",
      klass: "timeout",
      endedAt: 1,
    } as unknown as Observation;
    const at = (kind: "pay" | "cancel", seq: number) =>
      ({
        ...reserve,
        request: { ...reserve?.request, kind, seq, lines: [] },
        sentAt: seq,
        endedAt: seq + 1,
      }) as Observation;
    const pay = at("pay", 1);
    const cancel = at("cancel", 2);
    const orders = new Map([["o1", { paymentOrderId: "o1", reserves: [lost], pays: [pay], cancels: [cancel] }]]);
    const findings = judgeOrders({ ...h, orders, sent: [lost, pay, cancel] } as unknown as PhaseHistory, []);
    expect(findings.violations.map((v) => v.check)).toContain("paid-and-cancelled");
  });
});
