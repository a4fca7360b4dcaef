/**
 * The app of the frontend guide's Playwright example: a checkout page with one Buy button. It logs in,
 * reserves one unit of SKU 311191, shows the retry hint of a busy store (Retry-After) in an alert,
 * and pays a reservation it got, showing "Paid <id>" in a status line.
 */
export const checkoutPage = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Checkout</title></head>
<body>
  <button type="button">Buy</button>
  <p role="alert" hidden></p>
  <p role="status"></p>
  <script type="module">
    const api = location.origin;
    const alertLine = document.querySelector('[role="alert"]');
    const statusLine = document.querySelector('[role="status"]');
    let token;
    async function login() {
      const form = new URLSearchParams({ grant_type: "password", username: "buyer@example.com",
        password: "buyer-password", client_id: "clientapp", client_secret: "secret" });
      const answer = await fetch(api + "/oauth/token", { method: "POST", body: form });
      token = (await answer.json()).access_token;
    }
    async function buy() {
      if (token === undefined) await login();
      const paymentOrderId = "web-" + Date.now() + "-" + Math.random().toString(36).slice(2, 8);
      const customData = JSON.stringify({ productInfoList: null, productStockList: [{ productStockId: 311191, orderCount: 1 }] });
      const query = new URLSearchParams({ storeId: "itsdcode", merchantId: "itsdcode", amount: "1500",
        timestamp: "20210621", paymentOrderId, customData });
      const headers = { authorization: "Bearer " + token };
      const reserved = await fetch(api + "/orders/payment/choice?" + query, { headers });
      if (reserved.status === 503) {
        alertLine.textContent = "The store is busy. Try again in " + reserved.headers.get("retry-after") + " s.";
        alertLine.hidden = false;
        return;
      }
      alertLine.hidden = true;
      if (!reserved.ok) {
        statusLine.textContent = "Could not reserve: " + (await reserved.json()).code;
        return;
      }
      const paid = await fetch(api + "/orders/payment/kcp/payResultTest/" + encodeURIComponent(paymentOrderId), { headers });
      statusLine.textContent = paid.ok ? "Paid " + paymentOrderId : "Payment failed: " + (await paid.json()).code;
    }
    document.querySelector("button").addEventListener("click", () => void buy());
  </script>
</body>
</html>
`;
