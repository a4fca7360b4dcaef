/**
 * A backend team's dev server, as the recipe test deploys it: bundled into one plain-Node file
 * (http, stock in memory) that knows nothing of stockproof's test-control API. It keeps stock
 * correctly, speaks its own words (409 SOLD_OUT for stock short), has its own logins, and lets the
 * team's scripts set and read stock through PUT/GET /dev/stock. Prints its URL on the first line.
 */
import { startBrokenShop } from "../../helpers/broken-shop.js";

const shop = await startBrokenShop({
  // 404 keeps the reference's ORDER_NOT_FOUND: with its own word there, audit's crossed-carts (every
  // cancel is of another user's order, 404 by the model) is read as a missing route (NOT JUDGED).
  codes: { outOfStock: { status: 409, code: "SOLD_OUT" } },
  logins: {
    users: {
      "qa1@dev.test": { password: "pw-one", userName: "7001" },
      "qa2@dev.test": { password: "pw-two", userName: "7002" },
    },
    client: { id: "devshop", secret: "devshop-secret-1" },
  },
});
process.stdout.write(`${shop.url}\n`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => void shop.close().then(() => process.exit(0)));
}
