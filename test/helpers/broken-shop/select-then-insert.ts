import { problem, type Reply, type ShopLedger } from "./ledger.js";
import { memoryLedger } from "./memory-ledger.js";

export interface SelectThenInsertOptions {
  /** How long the SELECT's round trip takes, in ms (default 2): the window a second reserve can slip into. */
  readonly roundTripMs?: number;
}

const withId = (answer: Reply, paymentOrderId: string): Reply =>
  answer.status === 200 ? { ...answer, body: { ...(answer.body as object), paymentOrderId } } : answer;

/**
 * A shop whose orders table has no unique index on paymentOrderId: reserve SELECTs the id, and
 * INSERTs when no row came back. Two reserves of one id that both SELECT before either INSERTs
 * both take stock: two reservations under one id. Pay and cancel find the first row.
 */
export function selectThenInsertLedger(options: SelectThenInsertOptions = {}): ShopLedger {
  const inner = memoryLedger();
  // paymentOrderId → the rows stored under it (each a distinct order in the stock keeper).
  const rows = new Map<string, string[]>();
  let next = 0;
  const select = () => new Promise((resolve) => setTimeout(resolve, options.roundTripMs ?? 2));
  const firstRow = (orderId: string) => rows.get(orderId)?.[0] ?? orderId;
  return {
    ...inner,
    async reserve(owner, orderId, lines) {
      const found = rows.has(orderId);
      await select();
      if (found) return problem(409, "DUPLICATE_PAYMENT_ORDER", `${orderId} exists.`);
      const row = `${orderId}#${next++}`;
      const answer = await inner.reserve(owner, row, lines);
      if (answer.status === 200) rows.set(orderId, [...(rows.get(orderId) ?? []), row]);
      return withId(answer, orderId);
    },
    pay: async (owner, orderId) => withId(await inner.pay(owner, firstRow(orderId)), orderId),
    cancel: async (owner, orderId) => withId(await inner.cancel(owner, firstRow(orderId)), orderId),
  };
}
