/**
 * @module
 * The one storage port: `decide` runs a synchronous domain step atomically; with the busy and full errors.
 */

import type { Changes, LedgerView } from "../domain/ledger.js";
import type { Order, StockLevel } from "../domain/types.js";

/** Reads a store offers inside a transaction, before any staged change. */
export interface StoreReader extends LedgerView {
  /** Every RESERVED order whose expiry is at or before `now`: all of them, so none can still count as held. */
  dueOrders(now: number): Order[];
}

/** The view a step gets: reads see what the step already staged. */
export interface StoreTx extends StoreReader {
  stage(changes: Changes): void;
}

export interface StoreSnapshot {
  readonly stock: StockLevel[];
  readonly orders: Order[];
}

/**
 * The one storage port. `decide` runs a synchronous step atomically — in SQLite one
 * BEGIN IMMEDIATE transaction — and writes what the step staged; if the step throws, nothing is written.
 */
export interface LedgerStore {
  decide<T>(step: (tx: StoreTx) => T): T;
  /**
   * Like `decide`, for the hot path: a store may run steps that arrive together in one
   * transaction (group commit), each isolated so that its outcome is exactly what `decide` gives.
   * The promise settles once the step's writes are committed.
   */
  submit<T>(step: (tx: StoreTx) => T): Promise<T>;
  /** A consistent read of every SKU and order. */
  snapshot(): StoreSnapshot;
  /** Deletes every order and replaces the SKUs with `levels`. */
  replaceAll(levels: readonly StockLevel[]): void;
  /**
   * Records the one-time token `id` (a refresh token's jti) as spent until `expiresAt` (epoch ms).
   * True only for the first call with `id` among all processes sharing the store, and only while
   * `expiresAt` is after `now`; records past their expiry are pruned (the token is refused by then anyway).
   * A clock that jumps ahead and back cannot revive a spent token: once records are pruned, a token
   * expiring no later than the latest pruned record is refused.
   */
  spendToken(id: string, expiresAt: number, now: number): boolean;
  /**
   * A value kept with the data (the token-signing secret): the first call, in any process sharing
   * the store, stores what `create` returns; every later call returns that value.
   */
  keptValue(name: string, create: () => string): string;
  /** True when the store holds no SKU and no order (a new database). */
  isEmpty(): boolean;
  close(): void;
}

/** The store could not get its lock in time (SQLITE_BUSY after busy_timeout). */
export class StoreBusyError extends Error {
  override readonly name = "StoreBusyError";
  constructor(cause: unknown) {
    super("The stock store is busy; retry shortly.", { cause });
  }
}

/** The store could not grow (SQLITE_FULL: the disk is full, or the file reached a size limit); the step was rolled back. */
export class StoreFullError extends Error {
  override readonly name = "StoreFullError";
  constructor(cause: unknown) {
    super("The stock store cannot grow: its disk is full (or the file reached a size limit); nothing was changed.", {
      cause,
    });
  }
}
