import { expect, it } from "vitest";
import { catalogueReserveQuery, sent } from "../../../src/verify/calls/requests.js";
import { payPath, reservePath } from "../../../src/verify/client/paths.js";
import { stockLineData } from "../../../src/verify/client/reserve-query.js";
import type { MatrixContext } from "../../helpers/matrix/describe-matrix.js";

const untimed = (snapshot: Record<string, unknown>) => ({ ...snapshot, takenAt: null });

/** HEAD is no operation of the spec: the order routes refuse it rather than run their GET handler. */
export function headRequests(ctx: MatrixContext): void {
  it("refuses HEAD on order routes with 405 and changes no stock (Hono would otherwise run the GET handler)", async () => {
    const { token } = await ctx.tokens();
    const before = await ctx.snapshot();
    const query = catalogueReserveQuery("head-1", stockLineData([{ productStockId: 311191, orderCount: 1 }]));
    for (const path of [reservePath(query), payPath("head-1")]) {
      const response = await ctx.send(sent("HEAD", path, { authorization: `Bearer ${token}` }));
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe("GET");
    }
    expect(untimed(await ctx.snapshot())).toEqual(untimed(before));
  });
}
