import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small, real HTTP server speaking the order API (token, reserve, pay, cancel, and the
 * test-control stock/snapshot routes), written the way a hand-rolled backend might be. Each fault
 * below turns on one real design mistake; with no fault it keeps stock correctly.
 */
export interface ToyFaults {
  /** Reserve reads the stock, awaits (a round trip to its "database"), then writes what it read minus the count. */
  readonly readThenWrite?: boolean;
  /** Cancel checks the order is RESERVED, awaits, then restores and marks it — unguarded against a second cancel. */
  readonly checkThenRestore?: boolean;
  /** More than this many requests in flight and it answers 500 (a connection pool with no queue). */
  readonly maxInFlight?: number;
  /** Refuses a reservation unless this many units would remain (a hidden safety stock). */
  readonly safetyStock?: number;
  /** Correct, with its own codes: SOLD_OUT, 409 for a repeated cancel, 403 for another user's order. */
  readonly ownCodes?: boolean;
  /** Reservations never answer (a deadlocked transaction holding the request forever). */
  readonly hangOnReserve?: boolean;
}

export interface ToyServer {
  readonly url: string;
  close(): Promise<void>;
}

interface ToyOrder {
  owner: string;
  status: "RESERVED" | "PAID" | "CANCELLED";
  lines: { productStockId: number; count: number }[];
}

interface ToySku {
  initial: number;
  available: number;
  held: number;
  paid: number;
}

/** One round trip to an imaginary database: control returns to the event loop, as with any async driver. */
const roundTrip = () => new Promise<void>((resolve) => setImmediate(resolve));

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": status >= 400 ? "application/problem+json" : "application/json" });
  res.end(JSON.stringify(body));
}

const problem = (res: ServerResponse, status: number, code: string, detail: string) =>
  send(res, status, { type: `urn:toy:${code}`, title: code, status, code, detail });

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startToyServer(faults: ToyFaults = {}): Promise<ToyServer> {
  const skus = new Map<number, ToySku>();
  const orders = new Map<string, ToyOrder>();
  let inFlight = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://toy");
    if (req.method === "POST" && url.pathname === "/oauth/token") {
      const form = new URLSearchParams(await bodyOf(req));
      const user = form.get("username") ?? "refreshed";
      return send(res, 200, {
        access_token: `toy.${user}`,
        token_type: "bearer",
        expires_in: 3600,
        scope: "read write",
      });
    }
    if (url.pathname === "/__admin/stock" && req.method === "PUT") {
      const { items } = JSON.parse(await bodyOf(req)) as { items: { productStockId: number; quantity: number }[] };
      for (const item of items) {
        const sku = skus.get(item.productStockId) ?? { initial: 0, available: 0, held: 0, paid: 0 };
        sku.available = item.quantity;
        sku.initial = sku.available + sku.held + sku.paid;
        skus.set(item.productStockId, sku);
      }
      return send(res, 200, snapshot());
    }
    if (url.pathname === "/__admin/snapshot") return send(res, 200, snapshot());

    const user = /^Bearer toy\.(.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (user === undefined) return problem(res, 401, "INVALID_TOKEN", "no token");

    if (req.method === "GET" && url.pathname === "/orders/payment/choice") {
      if (faults.hangOnReserve) return;
      const id = url.searchParams.get("paymentOrderId") ?? "";
      const data = JSON.parse(url.searchParams.get("customData") ?? "{}") as {
        productStockList: { productStockId: number; orderCount: number }[];
      };
      const lines = data.productStockList.map((l) => ({ productStockId: l.productStockId, count: l.orderCount }));
      if (orders.has(id)) return problem(res, 409, "DUPLICATE_PAYMENT_ORDER", id);
      if (faults.readThenWrite) {
        const seen = lines.map((l) => skus.get(l.productStockId)?.available ?? 0);
        await roundTrip();
        if (lines.some((l, i) => (seen[i] ?? 0) < l.count)) return problem(res, 409, "OUT_OF_STOCK", "short");
        lines.forEach((l, i) => {
          const sku = skus.get(l.productStockId) as ToySku;
          sku.available = (seen[i] ?? 0) - l.count;
          sku.held += l.count;
        });
      } else {
        const keep = faults.safetyStock ?? 0;
        if (lines.some((l) => (skus.get(l.productStockId)?.available ?? 0) < l.count + keep)) {
          return problem(res, 409, faults.ownCodes ? "SOLD_OUT" : "OUT_OF_STOCK", "short");
        }
        for (const l of lines) {
          const sku = skus.get(l.productStockId) as ToySku;
          sku.available -= l.count;
          sku.held += l.count;
        }
      }
      orders.set(id, { owner: user, status: "RESERVED", lines });
      return send(res, 200, { paymentOrderId: id, status: "RESERVED" });
    }

    const pay = /^\/orders\/payment\/kcp\/payResultTest\/(.+)$/.exec(url.pathname);
    const cancel = /^\/orders\/payment\/cancel\/(.+)$/.exec(url.pathname);
    const id = decodeURIComponent((pay ?? cancel)?.[1] ?? "");
    const order = orders.get(id);
    if ((pay === null && cancel === null) || (pay !== null && req.method !== "GET")) {
      return problem(res, 404, "NOT_FOUND", url.pathname);
    }
    if (order !== undefined && order.owner !== user && faults.ownCodes) return problem(res, 403, "FORBIDDEN", id);
    if (order === undefined || order.owner !== user) return problem(res, 404, "ORDER_NOT_FOUND", id);
    if (pay !== null) {
      if (order.status === "CANCELLED") return problem(res, 409, "ORDER_CANCELLED", id);
      if (order.status === "RESERVED") {
        order.status = "PAID";
        for (const l of order.lines) {
          const sku = skus.get(l.productStockId) as ToySku;
          sku.held -= l.count;
          sku.paid += l.count;
        }
      }
      return send(res, 200, { paymentOrderId: id, status: order.status });
    }
    if (order.status === "PAID") return problem(res, 409, "ORDER_PAID", id);
    if (order.status === "CANCELLED" && faults.ownCodes) return problem(res, 409, "ALREADY_CANCELLED", id);
    if (order.status === "RESERVED") {
      if (faults.checkThenRestore) await roundTrip();
      for (const l of order.lines) {
        const sku = skus.get(l.productStockId) as ToySku;
        sku.available += l.count;
        sku.held -= l.count;
      }
      order.status = "CANCELLED";
    }
    return send(res, 200, { paymentOrderId: id, status: order.status });
  };

  const snapshot = () => ({
    invariantHolds: [...skus.values()].every((s) => s.available >= 0 && s.initial === s.available + s.held + s.paid),
    skus: [...skus].map(([productStockId, s]) => ({
      productStockId,
      ...s,
      invariantHolds: s.available >= 0 && s.initial === s.available + s.held + s.paid,
    })),
  });

  const server = createServer(async (req, res) => {
    inFlight++;
    try {
      if (faults.maxInFlight !== undefined && !req.url?.startsWith("/__admin")) {
        if (inFlight > faults.maxInFlight) {
          await bodyOf(req);
          return problem(res, 500, "POOL_EXHAUSTED", `more than ${faults.maxInFlight} requests in flight`);
        }
        // Each request holds one pooled connection across a database round trip.
        await roundTrip();
      }
      await handle(req, res);
    } catch (error) {
      problem(res, 500, "INTERNAL", String(error));
    } finally {
      inFlight--;
    }
  });
  server.maxConnections = 10_000;
  // Idle sockets stay open across a phase's setup, so a reused connection is never closed under a request.
  server.keepAliveTimeout = 65_000;
  // A backlog for a 1000-connection burst arriving at once.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
