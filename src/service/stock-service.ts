import type { DomainError } from "../domain/errors.js";
import { auditStock, type SkuAudit } from "../domain/invariant.js";
import {
  cancel,
  defaultRules,
  expire,
  type Outcome,
  pay,
  type ReservationRules,
  reserve,
  type StockLevelInput,
  setStock,
} from "../domain/ledger.js";
import type { LineRequest, Order, Result, StockLevel } from "../domain/types.js";
import type { LedgerStore, StoreTx } from "../store/port.js";
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

/** Expired holds swept per write, so one request never pays for a huge backlog. */
const sweepBatch = 100;

/** Use-cases over the store: each runs one domain step atomically. A busy store throws ServiceBusyError. */
export interface StockService {
  reserve(owner: string, request: ReserveRequest): Promise<Result<Order, DomainError>>;
  pay(owner: string, paymentOrderId: string): Promise<Result<Order, DomainError>>;
  cancel(owner: string, paymentOrderId: string): Promise<Result<Order, DomainError>>;
  snapshot(): StockSnapshot;
  setStock(items: readonly (StockLevelInput & { readonly quantity: number })[]): StockSnapshot;
  reset(): StockSnapshot;
  /** Expires due holds; returns how many expired. */
  sweep(): number;
}

export function createStockService(options: StockServiceOptions): StockService {
  const { store, catalog } = options;
  const rules: ReservationRules = { ...defaultRules, ...options.rules };
  const clock = options.clock ?? Date.now;

  const sweepIn = (tx: StoreTx, now: number): number => {
    if (rules.holdTtlMs === null) return 0;
    const due = tx.dueOrders(now, sweepBatch);
    for (const order of due) tx.stage(expire(tx, order, now).changes);
    return due.length;
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
      // Expire due holds first so the snapshot never shows a hold that no longer counts.
      if (rules.holdTtlMs !== null) store.decide((tx) => sweepIn(tx, clock()));
      const { stock, orders } = store.snapshot();
      const skus = auditStock(stock, orders);
      return { takenAt: clock(), invariantHolds: skus.every((s) => s.holds), skus, orders };
    });

  return {
    reserve: (owner, request) => run((tx, now) => reserve(tx, { ...request, owner, now }, rules)),
    pay: (owner, paymentOrderId) => run((tx, now) => pay(tx, { paymentOrderId, owner, now })),
    cancel: (owner, paymentOrderId) => run((tx, now) => cancel(tx, { paymentOrderId, owner, now })),
    snapshot,
    setStock(items) {
      busyAware(() =>
        store.decide((tx) => {
          sweepIn(tx, clock());
          for (const item of items) {
            tx.stage({ stock: [setStock(tx.stock(item.productStockId), item, item.quantity)], orders: [] });
          }
        }),
      );
      return snapshot();
    },
    reset() {
      busyAware(() => store.replaceAll(catalog));
      return snapshot();
    },
    sweep: () => busyAware(() => store.decide((tx) => sweepIn(tx, clock()))),
  };
}
