/** What must be the same on both sides: status and the meaningful body fields, never ids or times. */
export function essence(response: { status: number; body: Record<string, unknown> }): Record<string, unknown> {
  const { body } = response;
  const picked: Record<string, unknown> = { status: response.status };
  for (const key of ["code", "error", "shortages", "unknownSkus", "token_type", "scope", "expires_in"]) {
    if (body[key] !== undefined) picked[key] = body[key];
  }
  if (typeof body.paymentOrderId === "string") {
    picked.order = {
      paymentOrderId: body.paymentOrderId,
      status: body.status,
      userName: body.userName,
      lines: body.lines,
      amount: body.amount,
    };
  }
  return picked;
}

/** Stock per SKU from a snapshot body. */
export function stockLevels(snapshot: Record<string, unknown>) {
  const skus = snapshot.skus as {
    productStockId: number;
    initial: number;
    available: number;
    held: number;
    paid: number;
  }[];
  return skus
    .map(({ productStockId, initial, available, held, paid }) => ({ productStockId, initial, available, held, paid }))
    .sort((a, b) => a.productStockId - b.productStockId);
}
