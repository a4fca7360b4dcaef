/**
 * @module
 * The stock use-cases over the store: each request runs one domain step atomically, with the clock and rules.
 */

import type { DomainError } from "../domain/errors.js";
import { auditStock, type SkuAudit } from "../domain/invariant.js";
import {
  cancel,
  defaultRules,
  expireAll,
  type Outcome,
  pay,
  type ReservationRules,
  reserve,
  type SetStockItem,
  setStockLevels,
} from "../domain/ledger.js";
import { type LineRequest, type Order, ok, type Result, type StockLevel } from "../domain/types.js";
import type { LedgerStore, StoreTx } from "../store/port.js";
import { afterCommit } from "./after-commit.js";
import { busyAware, surfaceBusy } from "./busy.js";

export interface StockServiceOptions {
  readonly store: LedgerStore;
  /** The SKUs and stock that `reset` restores. */
  readonly catalog: readonly StockLevel[];
  readonly rules?: Partial<ReservationRules>;
  /** Epoch milliseconds; injectable so tests can move time. */
  readonly clock?: () => number;
}

export interface ReserveRequest {
  readonly paymentOrderId: string;
  readonly lines: readonly LineRequest[];
  readonly amount: string;
}

export interface StockSnapshot {
  readonly takenAt: number;
  readonly invariantHolds: boolean;
  readonly skus: readonly SkuAudit[];
  readonly orders: readonly Order[];
}

/** Use-cases over the store: each runs one domain step atomically. A busy store throws ServiceBusyError. */
export interface StockService {
  reserve(owner: string, request: ReserveRequest): Promise<Result<Order, DomainError>>;
  pay(owner: string, paymentOrderId: string): Promise<Result<Order, DomainError>>;
  cancel(owner: string, paymentOrderId: string): Promise<Result<Order, DomainError>>;
  snapshot(): StockSnapshot;
  /** Sets stock (creating SKUs), or nothing: SKU_CONFLICT when two SKUs would share productId + color + size. */
  setStock(items: readonly SetStockItem[]): Result<StockSnapshot, DomainError>;
  reset(): StockSnapshot;
  /** Expires due holds; returns how many expired. */
  sweep(): number;
}

export function createStockService(options: StockServiceOptions): StockService {
  const { store, catalog } = options;
  const rules: ReservationRules = { ...defaultRules, ...options.rules };
  const clock = options.clock ?? Date.now;

  // Every due hold, not a batch: a decision taken while some still counted as held would refuse
  // stock that is free, and the snapshot would show them. Each hold is released once, so the work
  // is the backlog's, paid by the first write after it fell due; with nothing due it is one index probe.
  const sweepIn = (tx: StoreTx, now: number): number => {
    if (rules.holdTtlMs === null) return 0;
    const changes = expireAll(tx, tx.dueOrders(now), now);
    tx.stage(changes);
    return changes.orders.length;
  };

  const run = (step: (tx: StoreTx, now: number) => Outcome<Order>): Promise<Result<Order, DomainError>> =>
    store
      .submit((tx) => {
        const now = clock();
        sweepIn(tx, now);
        const outcome = step(tx, now);
        tx.stage(outcome.changes);
        return outcome.result;
      })
      .catch(surfaceBusy);

  const snapshot = (): StockSnapshot =>
    busyAware(() => {
      // Expire every hold due at `now` first, and date the snapshot `now`: it never shows a hold that
      // no longer counts. A hold written after the sweep expires after `now`.
      const now = clock();
      if (rules.holdTtlMs !== null) store.decide((tx) => sweepIn(tx, now));
      const { stock, orders } = store.snapshot();
      const skus = auditStock(stock, orders);
      return { takenAt: now, invariantHolds: skus.every((s) => s.holds), skus, orders };
    });

  return {
    reserve: (owner, request) => run((tx, now) => reserve(tx, { ...request, owner, now }, rules)),
    pay: (owner, paymentOrderId) => run((tx, now) => pay(tx, { paymentOrderId, owner, now })),
    cancel: (owner, paymentOrderId) => run((tx, now) => cancel(tx, { paymentOrderId, owner, now })),
    snapshot,
    setStock(items) {
      const outcome = busyAware(() =>
        store.decide((tx) => {
          sweepIn(tx, clock());
          const set = setStockLevels(tx, items);
          tx.stage(set.changes);
          return set;
        }),
      );
      return outcome.result.ok ? ok(afterCommit("the stock change", snapshot)) : outcome.result;
    },
    reset() {
      busyAware(() => store.replaceAll(catalog));
      return afterCommit("the reset", snapshot);
    },
    sweep: () => busyAware(() => store.decide((tx) => sweepIn(tx, clock()))),
  };
}
