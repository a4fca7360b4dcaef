import { beforeEach, describe, expect, it } from "vitest";
import { declaredStatuses, operations } from "../../../src/backend/spec/validators.js";
import { type CallCase, canSend, caseName, catalogue, exemptions, reserve } from "../../../src/verify/calls/index.js";
import type { MatrixContext } from "../../helpers/matrix/describe-matrix.js";
import { needsMet } from "../../helpers/matrix/describe-matrix.js";
import { judge } from "../../helpers/matrix/judge.js";

const untimed = (snapshot: Record<string, unknown>) => ({ ...snapshot, takenAt: null });

/**
 * Every call of the catalogue the target can be set up for, from a reset store: the answer is the
 * catalogue's (status, code, headers, a spec-conforming body), and a refusal changes nothing.
 */
export function catalogueCalls(ctx: MatrixContext): void {
  const met = needsMet(ctx.kind);
  const runnable = catalogue.filter((c) => canSend(c, met));

  describe("every call of the catalogue", () => {
    beforeEach(() => ctx.reset());

    for (const c of runnable) {
      const code = c.expect.code === undefined ? "" : ` ${c.expect.code}`;
      it(`${caseName(c)} → ${c.expect.status}${code}`, () => check(ctx, c));
    }

    it("still serves a valid request after all of the above, and only that one changes the stock", async () => {
      const skuOf = (snapshot: Record<string, unknown>) =>
        (snapshot.skus as { productStockId: number; available: number }[]).find((s) => s.productStockId === 311191);
      const before = await ctx.snapshot();
      await ctx.call(reserve);
      const after = await ctx.snapshot();
      expect(skuOf(after)?.available).toBe((skuOf(before)?.available ?? 0) - 1);
      expect((after.orders as unknown[]).length).toBe((before.orders as unknown[]).length + 1);
    });

    it("met no unexpected error on the way (a bug would have been a 500)", () => {
      expect(ctx.target().unexpected()).toEqual([]);
    });
  });

  for (const exemption of exemptions) {
    if (exemption.operationId !== "getSnapshot" || exemption.status !== 503 || !met.has("storeBusy")) continue;
    it(`cannot answer getSnapshot 503: ${exemption.reason}`, async () => {
      const busy = ctx.target().busy as NonNullable<ReturnType<MatrixContext["target"]>["busy"]>;
      const before = await ctx.snapshot(busy.send);
      const during = await busy.lock(() => ctx.snapshot(busy.send), true);
      // The reader saw the last committed state, not the writer's uncommitted change.
      expect(untimed(during)).toEqual(untimed(before));
    });
  }

  it("is set up for a call answering each status the spec declares, or leaves it to a target with that variant", () => {
    const exempt = new Set(exemptions.map((e) => `${e.operationId} ${e.status}`));
    const reached = new Set(runnable.map(pairOf));
    const leftToOthers = new Set(catalogue.filter((c) => !canSend(c, met)).map(pairOf));
    const missing = declaredPairs().filter(
      (pair) => !reached.has(pair) && !exempt.has(pair) && !leftToOthers.has(pair),
    );
    expect(missing).toEqual([]);
  });
}

const pairOf = (c: CallCase) => `${c.operationId} ${c.expect.status}`;

/** Every operation and status the spec declares, as "operationId status". */
export const declaredPairs = (): string[] =>
  operations().flatMap((o) => declaredStatuses(o.operationId).map((s) => `${o.operationId} ${s}`));

/** Sends one call on the server variant it needs and checks the answer; a refusal must change nothing. */
async function check(ctx: MatrixContext, c: CallCase): Promise<void> {
  const target = ctx.target();
  if (c.needs.includes("adminOff")) {
    if (target.adminOff === undefined) throw new Error(`${ctx.kind.name} has no server with the test-control API off`);
    // Nothing to compare: a server without the test-control API has no snapshot to read.
    judge(c, await target.adminOff(await c.request(await ctx.givens().resolve(c))));
    return;
  }
  const busy = c.needs.includes("storeBusy") ? target.busy : undefined;
  const server = busy?.send ?? target.send;
  const given = await ctx.givens(server).resolve(c);
  const request = await c.request(given);
  const refusal = c.expect.status >= 400;
  const before = refusal ? await ctx.snapshot(server) : null;
  const response = busy === undefined ? await server(request) : await busy.lock(() => server(request));
  judge(c, response);
  // Every call keeps the invariant (the snapshot checks it); a refusal also changes nothing.
  const after = await ctx.snapshot(server);
  if (before !== null) expect(untimed(after), `${caseName(c)} changed the state`).toEqual(untimed(before));
}
