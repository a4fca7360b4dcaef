/**
 * @module
 * The oracle: runs the plan through the pure stock domain in plan order to predict each answer.
 */

import { type DomainErrorCode, type RefusalKind, refusalKinds } from "../../backend/domain/errors.js";
import {
  type Changes,
  cancel,
  defaultRules,
  type LedgerView,
  pay,
  reserve,
  setStock,
} from "../../backend/domain/ledger.js";
import type { Order, StockLevel } from "../../backend/domain/types.js";
import { type Plan, requestsOf } from "./plan.js";
import type { Scenario } from "./types.js";

const statusOf: Readonly<Record<RefusalKind, number>> = { invalid: 400, "not-found": 404, conflict: 409 };

/** The status the reference contract answers a domain refusal with, as the spec documents it. */
export const referenceStatus = (code: DomainErrorCode): number => statusOf[refusalKinds[code]];

/** What the reference contract says one request answers. */
export interface ExpectedOutcome {
  /** "ok" or the domain error code. */
  readonly outcome: "ok" | DomainErrorCode;
  readonly status: number;
  /** True when the step moves stock (a reservation taken, paid or restored). */
  readonly movesStock: boolean;
}

export interface ModelPhase {
  readonly name: string;
  /** Available units per SKU when the phase starts and ends. */
  readonly initial: Readonly<Record<number, number>>;
  readonly final: Readonly<Record<number, number>>;
  /** Per case: outcome → count. */
  readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

export interface ModelRun {
  /** Indexed by PlannedRequest.seq. */
  readonly expected: readonly ExpectedOutcome[];
  readonly phases: readonly ModelPhase[];
  /** Per case over the whole run: outcome → count. */
  readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly final: Readonly<Record<number, number>>;
}

/** A ledger in memory: the pure domain functions over two maps. */
function createLedger() {
  const stock = new Map<number, StockLevel>();
  const orders = new Map<string, Order>();
  const view: LedgerView = {
    stock: (id) => stock.get(id),
    skuByProduct: (productId, color, size) =>
      [...stock.values()].find((s) => s.productId === productId && s.color === color && s.size === size),
    order: (id) => orders.get(id),
  };
  const apply = (changes: Changes) => {
    for (const level of changes.stock) stock.set(level.productStockId, level);
    for (const order of changes.orders) orders.set(order.paymentOrderId, order);
  };
  return { stock, view, apply };
}

const bump = (counts: Record<string, Record<string, number>>, name: string, outcome: string) => {
  const row = counts[name] ?? {};
  row[outcome] = (row[outcome] ?? 0) + 1;
  counts[name] = row;
};

/** Outcomes repeat (a million requests, a handful of outcomes): one shared object for each. */
function createExpectations() {
  const known = new Map<string, ExpectedOutcome>();
  return (outcome: ExpectedOutcome["outcome"], movesStock: boolean): ExpectedOutcome => {
    const key = `${outcome}:${movesStock}`;
    let shared = known.get(key);
    if (shared === undefined) {
      const status = outcome === "ok" ? 200 : referenceStatus(outcome);
      shared = Object.freeze({ outcome, status, movesStock });
      known.set(key, shared);
    }
    return shared;
  };
}

/**
 * Runs the plan through the pure stock domain, one request after another in plan order
 * (rounds in order, a `together` step's cases as planned: plan.ts togetherOrder): the oracle.
 */
export function runModel(scenario: Scenario, plan: Plan): ModelRun {
  const ledger = createLedger();
  const expected: ExpectedOutcome[] = [];
  const expectation = createExpectations();
  const total: Record<string, Record<string, number>> = {};
  const available = () =>
    Object.fromEntries(
      scenario.skus.map((s) => [s.productStockId, ledger.stock.get(s.productStockId)?.available ?? 0]),
    );

  const phases = plan.phases.map((planned): ModelPhase => {
    if (planned.index === 0 || planned.phase.restock) {
      for (const sku of scenario.skus) {
        ledger.apply({ stock: [setStock(ledger.stock.get(sku.productStockId), sku, sku.stock)], orders: [] });
      }
    }
    const initial = available();
    const counts: Record<string, Record<string, number>> = {};
    for (const request of requestsOf(planned)) {
      const cmd = { paymentOrderId: request.paymentOrderId, owner: request.user.username, now: 0 };
      const outcome =
        request.kind === "reserve"
          ? reserve(
              ledger.view,
              {
                ...cmd,
                amount: "0",
                lines: request.lines.map((l) => ({ kind: "stock", productStockId: l.sku, count: l.count })),
              },
              defaultRules,
            )
          : request.kind === "pay"
            ? pay(ledger.view, cmd)
            : cancel(ledger.view, cmd);
      ledger.apply(outcome.changes);
      const name = outcome.result.ok ? "ok" : outcome.result.error.code;
      expected[request.seq] = expectation(name, outcome.changes.stock.length > 0);
      bump(counts, request.caseName, name);
      bump(total, request.caseName, name);
    }
    return { name: planned.phase.name, initial, final: available(), counts };
  });
  return { expected, phases, counts: total, final: available() };
}
