// The framework's own ceiling: Hono on @hono/node-server answering a constant JSON body, no work.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const bytes = Number(process.argv[2] ?? 330);
const body = { pad: "x".repeat(Math.max(0, bytes - 10)) };
const app = new Hono();
app.get("/orders/payment/choice", (c) => c.json(body));
serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) =>
  console.log(`Listening on http://127.0.0.1:${info.port}`),
);
