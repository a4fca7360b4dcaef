import type { ShopLedger } from "./ledger.js";

/**
 * A fault seen once and never again (a deploy in between, a cold cache that warmed): the first
 * `brokenSetups` stock set-ups go to the broken ledger, every later one to the correct ledger.
 * Each run sets its stock first, so whole runs switch from one to the other.
 */
export function vanishingFault(broken: ShopLedger, correct: ShopLedger, brokenSetups = 1): ShopLedger {
  let setups = 0;
  const now = () => (setups <= brokenSetups ? broken : correct);
  return {
    reserve: (owner, orderId, lines) => now().reserve(owner, orderId, lines),
    pay: (owner, orderId) => now().pay(owner, orderId),
    cancel: (owner, orderId) => now().cancel(owner, orderId),
    async setStock(items) {
      setups++;
      await now().setStock(items);
    },
    available: () => now().available(),
    levels: () => now().levels?.() ?? [],
  };
}
