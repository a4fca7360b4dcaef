/**
 * @module
 * Judges each request by its order's history: one hold per id, no pay without a hold, not paid and cancelled.
 */

import type { ExpectedOutcome } from "../model.js";
import type { Observation } from "../runner.js";
import type { HoldExpiry } from "../types.js";
import { namesExpiry, releaseWindow } from "./expiry-window.js";
import { acceptedReserve, type OrderHistory, type PhaseHistory } from "./history.js";
import { stockFloor } from "./stock.js";
import {
  type CheckId,
  type Divergence,
  isIndeterminate,
  isRefusal,
  mayHaveApplied,
  refOf,
  type Violation,
} from "./types.js";

export interface OrderFindings {
  readonly violations: Violation[];
  /** One entry per request whose answer differs from the reference contract without breaking anything. */
  readonly divergent: { readonly observation: Observation; readonly reference: string }[];
}

const before = (a: Observation, b: Observation) => (a.endedAt ?? Number.POSITIVE_INFINITY) < (b.sentAt ?? 0);
const overlapsOrPrecedes = (a: Observation, b: Observation) =>
  (a.sentAt ?? 0) < (b.endedAt ?? Number.POSITIVE_INFINITY);

/**
 * Judges every request by the history of its own order: at most one hold per paymentOrderId, no
 * payment without a reservation, never both paid and cancelled, and every refusal explained by
 * something that happened (or may have happened) to the order first.
 */
export function judgeOrders(
  history: PhaseHistory,
  expected: readonly ExpectedOutcome[],
  ttl: HoldExpiry | null = null,
): OrderFindings {
  const phase = history.run.name;
  const violations: Violation[] = [];
  const divergent: OrderFindings["divergent"] = [];
  const floor = stockFloor(history, ttl);
  const violation = (check: CheckId, message: string, exp: string, obs: string, requests: Observation[]) =>
    violations.push({
      check,
      phase,
      sku: null,
      message,
      expected: exp,
      observed: obs,
      requests: requests.map((o) => refOf(phase, o)),
    });

  for (const order of history.orders.values()) {
    // A second 200 for one paymentOrderId is an idempotent replay or a duplicate hold: only the stock
    // can tell (the duplicate-hold check); to the contract it is a divergence.
    for (const replay of order.reserves.filter((r) => r.klass === "ok").slice(1)) {
      divergent.push({ observation: replay, reference: "409 DUPLICATE_PAYMENT_ORDER" });
    }
    const paid = order.pays.filter((p) => p.klass === "ok");
    const cancelled = order.cancels.filter((c) => c.klass === "ok");
    // A reservation whose answer was lost (timeout, 5xx) may still hold: both 2xx is still impossible.
    if (paid.length > 0 && cancelled.length > 0 && order.reserves.some(mayHaveApplied)) {
      const cancelFirst = cancelled.some((c) => paid.every((p) => before(c, p)));
      violation(
        "paid-and-cancelled",
        `Order ${order.paymentOrderId} was both paid and cancelled${cancelFirst ? " (paid after its cancel had completed)" : ""}.`,
        "one of pay and cancel wins; the other is refused (409 ORDER_CANCELLED or ORDER_PAID)",
        "both answered 2xx",
        [...paid, ...cancelled],
      );
    }
    for (const o of [...order.reserves, ...order.pays, ...order.cancels]) {
      const finding = judgeRequest(order, o, expected[o.request.seq], floor, ttl);
      if (finding === null) continue;
      if (finding.type === "divergent") divergent.push({ observation: o, reference: finding.reference });
      else violation(finding.check, finding.message, finding.reference, o.outcome, finding.requests ?? [o]);
    }
  }
  return { violations, divergent };
}

type Finding =
  | { type: "divergent"; reference: string }
  | { type: "violation"; check: CheckId; message: string; reference: string; requests?: Observation[] };

function judgeRequest(
  order: OrderHistory,
  o: Observation,
  model: ExpectedOutcome | undefined,
  floor: ReturnType<typeof stockFloor>,
  ttl: HoldExpiry | null,
): Finding | null {
  if (isIndeterminate(o)) return null;
  const reserve = acceptedReserve(order);
  const reserveMaybe = order.reserves.some(mayHaveApplied);
  const owner = (reserve ?? order.reserves[0])?.request.user.username;
  const id = o.request.paymentOrderId;

  if (o.request.kind === "reserve") {
    if (o.klass !== "rejected" && o.klass !== "other-4xx") return null;
    if (o.outcome === "OUT_OF_STOCK") return null; // judged against stock by the rejection check
    const rival = order.reserves.some((r) => r !== o && mayHaveApplied(r) && overlapsOrPrecedes(r, o));
    if (rival)
      return o.outcome === "DUPLICATE_PAYMENT_ORDER"
        ? null
        : { type: "divergent", reference: "409 DUPLICATE_PAYMENT_ORDER" };
    if (model !== undefined && model.outcome === o.outcome) return null;
    if (model !== undefined && model.outcome !== "ok" && model.outcome !== "OUT_OF_STOCK") {
      return { type: "divergent", reference: `${model.status} ${model.outcome}` };
    }
    // A refusal in the server's own words: admissible when stock may have run out, like OUT_OF_STOCK.
    const stock = floor(o);
    if (stock.justified) return { type: "divergent", reference: "409 OUT_OF_STOCK" };
    return {
      type: "violation",
      check: "wrong-rejection",
      message: `Reservation ${id} was refused (${o.status} ${o.outcome}) although no other request used that paymentOrderId and stock sufficed: ${stock.why}.`,
      reference: "200 RESERVED",
    };
  }

  // pay or cancel
  if (owner !== undefined && o.request.user.username !== owner) {
    if (o.klass === "ok") {
      return {
        type: "violation",
        check: "foreign-order",
        message: `${o.request.user.username} ${o.request.kind === "pay" ? "paid" : "cancelled"} order ${id}, which belongs to ${owner}.`,
        reference: "404 ORDER_NOT_FOUND",
      };
    }
    return o.outcome === "ORDER_NOT_FOUND" ? null : { type: "divergent", reference: "404 ORDER_NOT_FOUND" };
  }
  const others = o.request.kind === "pay" ? order.cancels : order.pays;
  const same = o.request.kind === "pay" ? order.pays : order.cancels;
  const rivalInPlay = others.some((r) => mayHaveApplied(r) && overlapsOrPrecedes(r, o));
  // Another pay (or cancel) of the same order that did, or may have, gone first: a refusal is then a repeat.
  const repeat = same.some((r) => r !== o && mayHaveApplied(r) && overlapsOrPrecedes(r, o));
  const rivalCode = o.request.kind === "pay" ? "ORDER_CANCELLED" : "ORDER_PAID";

  if (o.klass === "ok") {
    if (reserveMaybe) {
      const rivalDone = others.some((r) => r.klass === "ok" && before(r, o));
      if (rivalDone && reserve !== undefined) {
        return {
          type: "violation",
          check: "paid-and-cancelled",
          message: `Order ${id} was ${o.request.kind === "pay" ? "paid after it had been cancelled" : "cancelled after it had been paid"}.`,
          reference: `409 ${rivalCode}`,
          requests: [...others.filter((r) => r.klass === "ok"), o],
        };
      }
      return null;
    }
    if (o.request.kind === "cancel") return { type: "divergent", reference: "404 ORDER_NOT_FOUND" };
    return {
      type: "violation",
      check: "pay-without-reservation",
      message: `Order ${id} was paid although its reservation was refused (${order.reserves.map((r) => r.outcome).join(", ") || "never sent"}).`,
      reference: "404 ORDER_NOT_FOUND",
    };
  }
  if (!isRefusal(o)) return null;
  if (!reserveMaybe)
    return o.outcome === "ORDER_NOT_FOUND" ? null : { type: "divergent", reference: "404 ORDER_NOT_FOUND" };
  if (rivalInPlay) {
    return o.outcome === rivalCode ? null : { type: "divergent", reference: `409 ${rivalCode}` };
  }
  if (repeat) return { type: "divergent", reference: "200 (a repeat changes nothing)" };
  const reservedFirst = reserve !== undefined && before(reserve, o);
  if (!reservedFirst)
    return o.outcome === "ORDER_NOT_FOUND" ? null : { type: "divergent", reference: "404 ORDER_NOT_FOUND" };
  if (ttl !== null && reserve !== undefined) {
    // The hold may have expired: a refusal then is the server's choice of words.
    if ((o.endedAt ?? Number.POSITIVE_INFINITY) >= releaseWindow(ttl, reserve).opens) {
      if (o.request.kind === "cancel") return { type: "divergent", reference: "200 (expired: nothing to restore)" };
      return o.outcome === "ORDER_EXPIRED" ? null : { type: "divergent", reference: "409 ORDER_EXPIRED" };
    }
    if (namesExpiry(o)) {
      return {
        type: "violation",
        check: "released-early",
        message: `${o.request.kind === "pay" ? "Payment" : "Cancel"} of order ${id} was refused (${o.status} ${o.outcome}) ${Math.round((o.endedAt ?? 0) - (reserve.sentAt ?? 0))} ms after its reservation was sent, before its ${ttl.ttlMs} ms TTL: released early.`,
        reference: o.request.kind === "pay" ? "200 PAID" : "200 CANCELLED (stock restored)",
        requests: [reserve, o],
      };
    }
  }
  return {
    type: "violation",
    check: o.request.kind === "pay" ? "wrong-rejection" : "lost-restore",
    message: `${o.request.kind === "pay" ? "Payment" : "Cancel"} of order ${id} was refused (${o.status} ${o.outcome}) although the order was reserved and nothing else touched it.`,
    reference: o.request.kind === "pay" ? "200 PAID" : "200 CANCELLED (stock restored)",
    requests: [reserve as Observation, o],
  };
}

/** Groups divergent requests by case and answer, keeping a few examples of each. */
export function groupDivergences(phase: string, items: OrderFindings["divergent"]): Divergence[] {
  const groups = new Map<string, { reference: string; observed: string; list: Observation[] }>();
  for (const { observation, reference } of items) {
    const observed = `${observation.status ?? "-"} ${observation.outcome}`;
    const key = `${observation.request.caseName}\u0000${reference}\u0000${observed}`;
    const group = groups.get(key) ?? { reference, observed, list: [] };
    group.list.push(observation);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({
    phase,
    caseName: g.list[0]?.request.caseName ?? "",
    kind: g.list[0]?.request.kind ?? "",
    reference: g.reference,
    observed: g.observed,
    count: g.list.length,
    examples: g.list.slice(0, 3).map((o) => refOf(phase, o)),
  }));
}
