/**
 * @module
 * The conformance drive's seed 3-1 burst: one-unit reservations released at once on a short SKU, winners paid.
 */

import { type Givens, givenOf } from "../calls/givens.js";
import { outOfStock, pay, reserve, setStock, snapshot } from "../calls/index.js";
import { setStockRequest } from "../calls/requests.js";
import { type Call, caseOf } from "./drive-case.js";
import type { DriveSettings } from "./drive-settings.js";

/**
 * Seed 3-1: N one-unit reservations released at once against a SKU with fewer units, then the
 * winners paid; with the test-control API the stock is set first and the snapshot read after.
 */
export async function burst(settings: DriveSettings, call: Call, givens: Givens): Promise<void> {
  const admin = settings.adminKey;
  if (admin !== null) {
    const items = [{ productStockId: settings.sku.productStockId, quantity: settings.burst.stock }];
    await call(caseOf(setStock, setStockRequest(admin, items), "burst: set stock"));
  }
  const given = await Promise.all(Array.from({ length: settings.burst.reservations }, () => givens.resolve(reserve)));
  const answers = await Promise.all(
    given.map(async (g) => {
      const raced = caseOf(reserve, await reserve.request(g), "burst: reserve one unit");
      // Which ones win is a race; how many is checked against the model by the caller.
      const response = await call({ ...raced, expected: [reserve.expect.status, outOfStock.expect.status] });
      return { given: g, response };
    }),
  );
  const winners = answers.filter((a) => a.response.status === reserve.expect.status);
  await Promise.all(
    winners.map(async ({ given: g }) => {
      const paying = givenOf("burst: pay", { settings, id: g.id, token: g.token, order: g.id });
      return call(caseOf(pay, await pay.request(paying), "burst: pay"));
    }),
  );
  if (admin !== null) {
    const g = await givens.resolve(snapshot);
    await call(caseOf(snapshot, await snapshot.request(g), "snapshot after the burst"));
  }
}
