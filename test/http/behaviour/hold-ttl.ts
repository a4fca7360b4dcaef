import { expect, it } from "vitest";
import { reserve } from "../../../src/verify/calls/index.js";
import { reserveLines } from "../../../src/verify/calls/requests.js";
import type { FakeClock } from "../../helpers/fake-clock.js";
import type { MatrixContext } from "../../helpers/matrix/describe-matrix.js";
import { json } from "../../helpers/matrix/judge.js";
import { sku } from "./order-flows.js";

/** Unpaid holds expire after `ttl` on a server whose clock the test moves. */
export function holdTtl(ctx: MatrixContext, clock: FakeClock, ttl: number): void {
  it("expires an unpaid hold: pay answers 409 ORDER_EXPIRED, cancel 200 EXPIRED, stock back once", async () => {
    const { token } = await ctx.tokens();
    const before = await sku(ctx, 311191);
    const reserved = await ctx.call(
      reserve,
      {},
      reserveLines(token, "ttl-1", [{ productStockId: 311191, orderCount: 4 }]),
    );
    expect(json(reserved).expiresAt).toBe(new Date(clock.now() + ttl).toISOString());
    clock.advance(ttl);
    await ctx.call("payOrder: pay an order whose hold expired", { order: "ttl-1" });
    expect(await sku(ctx, 311191)).toMatchObject({ available: before.available, held: 0, paid: 0 });
    const cancel = await ctx.call("cancelOrder: cancel an order whose hold expired", { order: "ttl-1" });
    expect(json(cancel).status).toBe("EXPIRED");
    expect(await sku(ctx, 311191)).toMatchObject({ available: before.available, held: 0, paid: 0 });
  });
}
