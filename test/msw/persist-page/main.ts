// A checkout that leaves for the payment gateway and comes back: ?step=reserve logs in, reserves and
// keeps the access token; ?step=pay, a later full-page load, pays the kept order. The mock keeps its
// state in sessionStorage (persist), so the second load finds the reservation.
import { setupWorker } from "msw/browser";
import { createHandlers, demoCredentials } from "../../../src/backend/msw/index.js";
import { createStockproofClient } from "../../../src/verify/client/index.js";

const show = (text: string) => {
  const status = document.getElementById("status");
  if (status === null) throw new Error("The page lacks #status");
  status.textContent = text;
  status.dataset.state = "done";
};

async function run(): Promise<string> {
  const worker = setupWorker(...createHandlers({ baseUrl: "/api", persist: { storage: sessionStorage } }));
  await worker.start({ quiet: true, onUnhandledRequest: "bypass" });
  const client = createStockproofClient({ baseUrl: "/api", ...demoCredentials });
  client.useAccessToken(sessionStorage.getItem("checkout.token") ?? undefined);
  const sku = 311191;

  const step = new URL(location.href).searchParams.get("step");
  if (step === "reserve") {
    const login = await client.login("buyer@example.com", "buyer-password");
    if (login.error) return `login failed: ${login.response.status}`;
    const { data, error } = await client.reserve([{ productStockId: sku, orderCount: 1 }]);
    if (error) return `reserve failed: ${error.code}`;
    sessionStorage.setItem("checkout.token", client.accessToken ?? "");
    sessionStorage.setItem("checkout.order", data.paymentOrderId);
    return `RESERVED ${data.paymentOrderId}`;
  }
  const order = sessionStorage.getItem("checkout.order") ?? "";
  const paid = await client.pay(order);
  if (paid.error) return `pay failed: ${paid.error.code} ${paid.error.detail}`;
  const level = (await client.snapshot()).data?.skus.find((s) => s.productStockId === sku);
  return `${paid.data.status} ${order} held=${level?.held} paid=${level?.paid}`;
}

run().then(show, (error: unknown) => show(`failed: ${String(error)}`));
