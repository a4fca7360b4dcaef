/** One cart line: a SKU and how many units. */
export interface Line {
  readonly sku: number;
  readonly count: number;
}

/** What a shop answers: a status and a JSON body (a refusal carries a `code`, like most real servers). */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** One SKU as the test-control snapshot shows it. */
export interface Level {
  readonly productStockId: number;
  readonly initial: number;
  readonly available: number;
  readonly held: number;
  readonly paid: number;
}

/**
 * How a shop keeps its stock and orders: the part that differs between the broken servers. The
 * HTTP front (login, routing, the stock endpoints) is the same for all of them.
 */
export interface ShopLedger {
  reserve(owner: string, orderId: string, lines: readonly Line[]): Promise<Reply>;
  pay(owner: string, orderId: string): Promise<Reply>;
  cancel(owner: string, orderId: string): Promise<Reply>;
  /** Sets the available units of SKUs (the shop's own reset, or the test-control API's PUT). */
  setStock(items: readonly { readonly productStockId: number; readonly quantity: number }[]): Promise<void>;
  /** Available units per SKU. */
  available(): Promise<Record<number, number>>;
  /** Every SKU with held and paid units, for ledgers that track them (needed by the test-control API). */
  levels?(): readonly Level[];
  close?(): Promise<void> | void;
}

export const reply = (status: number, body: unknown): Reply => ({ status, body });

export const problem = (status: number, code: string, detail: string): Reply => ({
  status,
  body: { status, code, detail },
});

export const orderReply = (orderId: string, owner: string, status: string, lines: readonly Line[]): Reply =>
  reply(200, {
    paymentOrderId: orderId,
    status,
    userName: owner,
    lines: lines.map((l) => ({ productStockId: l.sku, count: l.count })),
  });

/** One round trip to a database: the moment another request can run in between. */
export const roundTrip = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
