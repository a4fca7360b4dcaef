import { problem, type ShopLedger } from "./ledger.js";
import { memoryLedger } from "./memory-ledger.js";

export interface LockPerLineOptions {
  /** The round trip between two lines' row locks, in ms (default 2). */
  readonly roundTripMs?: number;
}

interface Waiter {
  readonly tx: number;
  readonly grant: () => void;
}

/**
 * A shop that locks each cart line's stock row (SELECT … FOR UPDATE) in the order the request
 * lists them, one round trip apart, and keeps the locks until it commits. Two carts of the same
 * SKUs listed in opposite orders each take their first row and wait for the other's: a deadlock.
 * Like MySQL, it detects the cycle and rolls the waiting transaction back: 500 DEADLOCK.
 */
export function lockPerLineLedger(options: LockPerLineOptions = {}): ShopLedger {
  const inner = memoryLedger();
  const holder = new Map<number, number>();
  const queues = new Map<number, Waiter[]>();
  // The SKU row each transaction is waiting for.
  const waitsFor = new Map<number, number>();
  let nextTx = 0;
  const roundTrip = () => new Promise((resolve) => setTimeout(resolve, options.roundTripMs ?? 2));

  /** True when `tx` waiting for `sku` closes a cycle: the holder waits, transitively, for `tx`. */
  const cycle = (tx: number, sku: number): boolean => {
    const seen = new Set<number>();
    for (let h = holder.get(sku); h !== undefined && !seen.has(h); ) {
      if (h === tx) return true;
      seen.add(h);
      const wanted = waitsFor.get(h);
      h = wanted === undefined ? undefined : holder.get(wanted);
    }
    return false;
  };
  const lock = async (tx: number, sku: number): Promise<boolean> => {
    if (!holder.has(sku)) {
      holder.set(sku, tx);
      return true;
    }
    if (cycle(tx, sku)) return false;
    waitsFor.set(tx, sku);
    await new Promise<void>((grant) => queues.set(sku, [...(queues.get(sku) ?? []), { tx, grant }]));
    waitsFor.delete(tx);
    return true;
  };
  const release = (tx: number) => {
    for (const [sku, h] of holder) {
      if (h !== tx) continue;
      const [next, ...rest] = queues.get(sku) ?? [];
      queues.set(sku, rest);
      if (next === undefined) holder.delete(sku);
      else {
        holder.set(sku, next.tx);
        next.grant();
      }
    }
  };

  return {
    ...inner,
    async reserve(owner, orderId, lines) {
      const tx = nextTx++;
      try {
        for (const line of lines) {
          if (!(await lock(tx, line.sku)))
            return problem(500, "DEADLOCK", "Deadlock found when trying to get lock; try restarting transaction");
          await roundTrip();
        }
        return await inner.reserve(owner, orderId, lines);
      } finally {
        release(tx);
      }
    },
  };
}
