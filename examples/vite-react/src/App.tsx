import { type FormEvent, useEffect, useState } from "react";
import { errorCode, isProblem } from "stockproof-mock/client";
import { client } from "./api";

const sku = 311191;

/** Log in, then buy one unit of SKU 311191 at a time until it is sold out. */
export function App() {
  const [status, setStatus] = useState("Log in to buy.");
  const [orders, setOrders] = useState<string[]>([]);
  const [loggedIn, setLoggedIn] = useState(false);
  const [profile, setProfile] = useState("");

  useEffect(() => {
    // One of the app's own endpoints, beside stockproof's (src/mocks/handlers.ts when mocking).
    fetch("/api/profile")
      .then((response) => (response.ok ? (response.json() as Promise<{ name: string }>) : { name: "" }))
      .then(
        ({ name }) => setProfile(name),
        () => setProfile(""),
      );
  }, []);

  async function logIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const { error } = await client.login(String(form.get("username")), String(form.get("password")));
    if (error)
      return setStatus(
        errorCode(error) === "invalid_grant" ? "Wrong e-mail or password" : `Login failed: ${errorCode(error)}`,
      );
    setLoggedIn(true);
    setStatus("Logged in.");
  }

  async function buy() {
    const { data, error } = await client.reserve([{ productStockId: sku, orderCount: 1 }]);
    if (error) {
      if (isProblem(error) && error.code === "OUT_OF_STOCK") {
        return setStatus(`Sold out: SKU ${error.shortages?.map((s) => s.productStockId).join(", ")}`);
      }
      return setStatus(`${errorCode(error)}: ${error.detail ?? ""}`);
    }
    setOrders((ids) => [...ids, data.paymentOrderId]);
    setStatus(`Reserved ${data.paymentOrderId}`);
  }

  return (
    <main>
      <form onSubmit={logIn}>
        <input name="username" type="email" aria-label="E-mail" />
        <input name="password" type="password" aria-label="Password" />
        <button type="submit">Log in</button>
      </form>
      <button type="button" onClick={buy} disabled={!loggedIn}>
        Buy SKU {sku}
      </button>
      <p id="profile">{profile}</p>
      <p id="status">{status}</p>
      <p id="orders">{orders.length}</p>
    </main>
  );
}
