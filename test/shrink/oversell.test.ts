import { afterEach, describe, expect, it } from "vitest";
import { type BrokenShop, startBrokenShop } from "../helpers/broken-shop.js";
import { requestsOf, scratch, shrinkToFile } from "./support.js";

/** The seed's own scenario (2 200 requests in two phases) against a read-check-write stock keeper. */
describe("stockproof shrink: read-check-write oversell from seed-3-1", () => {
  let shop: BrokenShop | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await shop?.close();
    cleanup?.();
  });

  it("shrinks to at most 4 requests that fail again in at least 5 of 10 runs", async () => {
    // Each reservation reads its stock, waits 2 ms for its "database", then writes what it read minus its count.
    shop = await startBrokenShop({ faults: { oversell: true, roundTripMs: 2 }, stockApi: "test-control" });
    const { dir, remove } = scratch();
    cleanup = remove;
    const { written } = await shrinkToFile(shop.url, dir, "seed-3-1", "oversell", "40s");
    expect(requestsOf(written)).toBeLessThanOrEqual(4);
  }, 90_000);
});
