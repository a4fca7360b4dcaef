import { afterEach, describe, expect, it } from "vitest";
import { type BrokenShop, startBrokenShop } from "../helpers/broken-shop.js";
import { audit, nodeStockScripts, notPassed } from "./support.js";

describe("a correct server whose 404s carry its own code", () => {
  let shop: BrokenShop | undefined;
  afterEach(async () => {
    await shop?.close();
    shop = undefined;
  });

  it("is not told it has no cancel route when every cancel it was sent was of another user's order", async () => {
    // crossed-carts cancels only other users' orders: the model predicts 404 for every one of them.
    shop = await startBrokenShop({
      stockApi: "own",
      codes: {
        notFound: { status: 404, code: "NOT_FOUND" },
        foreignOrder: { status: 404, code: "NOT_FOUND" },
      },
    });
    const url = shop.url;
    // The team's own Node scripts (the other audits use curl lines where there is curl): a correct
    // server passes only if dev-reset.mjs sets the given stock and dev-snapshot.mjs reads it.
    const report = await audit({
      target: url,
      setup: nodeStockScripts.reset(url),
      snapshot: nodeStockScripts.snapshot(url),
      scenarios: ["crossed-carts"],
    });
    const said = report.scenarios.flatMap((s) => s.phases.flatMap((p) => p.verdict.mismatches.map((m) => m.message)));
    // Before: "DELETE /orders/payment/cancel/{id} answered 404 NOT_FOUND to every request …: the target has no such route".
    expect(said).toEqual([]);
    expect(notPassed(report)).toEqual([]);
    expect(report.classes.find((c) => c.id === "ownership")?.verdict).toBe("pass");
  });
});
