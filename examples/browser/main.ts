// A checkout page that runs entirely against the MSW mock: log in, reserve one unit at a time
// until the SKU is sold out, then cancel every order and watch the stock come back.
// An app imports from "stockproof-mock/msw" and "stockproof-mock/client" (test/package/msw-matrix.test.ts
// builds it that way); this copy imports the sources so the repository's test can bundle it without a build.
import { setupWorker } from "msw/browser";
import { createHandlers, demoCredentials } from "../../src/backend/msw/index.js";
import { createStockproofClient } from "../../src/verify/client/index.js";

const sku = 311191;
/** Bounded: the demo catalog holds 50 units of this SKU. */
const maxAttempts = 1000;

const show = (id: string, text: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`The page lacks #${id}`);
  element.textContent = text;
};

async function run(): Promise<void> {
  const worker = setupWorker(...createHandlers({ baseUrl: "/api" }));
  await worker.start({ quiet: true, onUnhandledRequest: "bypass" });

  const client = createStockproofClient({ baseUrl: "/api", ...demoCredentials });
  const available = async () => {
    const { data, error } = await client.snapshot();
    if (error) throw new Error(`snapshot failed: ${error.detail}`);
    const level = data.skus.find((s) => s.productStockId === sku);
    if (level === undefined) throw new Error(`SKU ${sku} is not in the catalog`);
    return level.available;
  };

  const login = await client.login("buyer@example.com", "buyer-password");
  if (login.error) throw new Error(`login failed with status ${login.response.status}`);
  show("user", "buyer@example.com");
  show("available-before", String(await available()));

  const orders: string[] = [];
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const { data, error } = await client.reserve([{ productStockId: sku, orderCount: 1 }]);
    if (data) {
      orders.push(data.paymentOrderId);
      show("reserved", String(orders.length));
      continue;
    }
    if (error.code !== "OUT_OF_STOCK") throw new Error(`reserve refused: ${error.code} ${error.detail}`);
    const short = (error.shortages ?? []).map((s) => s.productStockId).join(", ");
    show("refusal", `Sold out: SKU ${short} (${error.detail})`);
    break;
  }
  show("available-sold-out", String(await available()));

  for (const id of orders) {
    const { error } = await client.cancel(id);
    if (error) throw new Error(`cancel ${id} refused: ${error.code}`);
  }
  show("available-after-cancel", String(await available()));
}

const status = document.getElementById("status");
run().then(
  () => {
    status?.setAttribute("data-state", "done");
    if (status) status.textContent = "Done.";
  },
  (error: unknown) => {
    status?.setAttribute("data-state", "failed");
    if (status) status.textContent = `Failed: ${error instanceof Error ? error.message : String(error)}`;
  },
);
