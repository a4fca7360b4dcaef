import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathTemplates } from "../../src/verify/client/paths.js";
import { type Line, problem, type Reply, reply, roundTrip, type ShopLedger } from "./broken-shop/ledger.js";
import { memoryLedger, type OwnCodes, type StockFaults } from "./broken-shop/memory-ledger.js";

/** What can be wrong with the shop: its stock keeping, and how its HTTP front copes with load. */
export interface BrokenShopFaults extends StockFaults {
  /** More than this many requests in flight and it answers 500 POOL_EXHAUSTED (a connection pool with no queue). */
  readonly maxInFlight?: number;
  /** Reservations never answer (a deadlocked transaction holding the request forever). */
  readonly hangOnReserve?: boolean;
}

export interface BrokenShopOptions {
  readonly faults?: BrokenShopFaults;
  /** Refusals in the shop's own words (a correct server that answers differently). */
  readonly codes?: OwnCodes;
  /**
   * How stock is set and read: the reference's test-control API (PUT /__admin/stock, GET /__admin/snapshot),
   * or only the shop's own PUT/GET /dev/stock, as a team's server would have (default).
   */
  readonly stockApi?: "test-control" | "own";
  /** Another way of keeping stock (a SQLite design with its own fault); `faults` and `codes` then apply only to the front. */
  readonly ledger?: ShopLedger;
  /** The shop's own users and OAuth client (default: the demo logins, buyer@example.com and clientapp:secret). */
  readonly logins?: Logins;
}

/** Users by username, and the one OAuth client the shop accepts. */
export interface Logins {
  readonly users: Readonly<Record<string, { readonly password: string; readonly userName: string }>>;
  readonly client: { readonly id: string; readonly secret: string };
}

export interface BrokenShop {
  readonly url: string;
  close(): Promise<void>;
}

const demoLogins: Logins = {
  users: {
    "buyer@example.com": { password: "buyer-password", userName: "144602" },
    "other@example.com": { password: "other-password", userName: "144603" },
  },
  client: { id: "clientapp", secret: "secret" },
};

function send(res: ServerResponse, answer: Reply): void {
  const text = JSON.stringify(answer.body);
  const type = answer.status >= 400 ? "application/problem+json" : "application/json";
  res.writeHead(answer.status, { "content-type": type, "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Lines from the seed's customData (productStockList), or null when there are none. */
function linesOf(customData: string | null): Line[] | null {
  try {
    const list = (
      JSON.parse(customData ?? "") as { productStockList?: { productStockId: number; orderCount: number }[] }
    ).productStockList;
    if (!Array.isArray(list) || list.length === 0) return null;
    return list.map((l) => ({ sku: Number(l.productStockId), count: Number(l.orderCount) }));
  } catch {
    return null;
  }
}

/** The paymentOrderId of a path made from `template` (one segment), or undefined for another path. */
function idIn(template: string, pathname: string): string | undefined {
  const [prefix] = template.split("{paymentOrderId}");
  const id = pathname.startsWith(prefix as string) ? pathname.slice((prefix as string).length) : "";
  return id === "" || id.includes("/") ? undefined : decodeURIComponent(id);
}

/** The shop's users and client, password and refresh grants, opaque tokens (client by form or HTTP Basic). */
function login(
  { users, client }: Logins,
  form: URLSearchParams,
  authorization: string | undefined,
  tokens: Map<string, string>,
): Reply {
  let [id, secret] = [form.get("client_id"), form.get("client_secret")];
  if (authorization?.startsWith("Basic ")) {
    [id = null, secret = null] = Buffer.from(authorization.slice(6), "base64").toString("utf8").split(":");
  }
  if (id !== client.id || secret !== client.secret) return reply(401, { error: "invalid_client" });
  const user = users[form.get("username") ?? ""];
  const userName =
    form.get("grant_type") === "password"
      ? user?.password === form.get("password")
        ? user?.userName
        : undefined
      : tokens.get(form.get("refresh_token") ?? "");
  if (userName === undefined) return reply(400, { error: "invalid_grant" });
  const [access, refresh] = [randomUUID(), randomUUID()];
  tokens.set(access, userName);
  tokens.set(refresh, userName);
  const body = { access_token: access, token_type: "bearer", refresh_token: refresh, expires_in: 3600 };
  return reply(200, { ...body, scope: "read write", jti: randomUUID() });
}

/** PUT /dev/stock's body: the shop's own `{ items }`, or the given stock as `--setup` gets it on stdin. */
type StockBody =
  | { items: { productStockId: number; quantity: number }[] }
  | { skus: { productStockId: number; stock: number }[] };
const stockItems = (body: StockBody) =>
  "items" in body ? body.items : body.skus.map((s) => ({ productStockId: s.productStockId, quantity: s.stock }));

/**
 * A small real HTTP server on 127.0.0.1, port 0, speaking the order API (login, reserve, pay,
 * cancel) the way a hand-rolled backend might: each fault turns on one real design mistake, and
 * with none it keeps stock correctly.
 */
export async function startBrokenShop(options: BrokenShopOptions = {}): Promise<BrokenShop> {
  const faults = options.faults ?? {};
  const ledger = options.ledger ?? memoryLedger(faults, options.codes);
  const logins = options.logins ?? demoLogins;
  const stockPath = options.stockApi === "test-control" ? "/__admin/stock" : "/dev/stock";
  const tokens = new Map<string, string>();
  let inFlight = 0;

  const snapshot = () => {
    if (ledger.levels === undefined) throw new Error("this ledger has no test-control snapshot");
    const skus = ledger.levels().map((s) => ({
      ...s,
      invariantHolds: s.available >= 0 && s.initial === s.available + s.held + s.paid,
    }));
    return { invariantHolds: skus.every((s) => s.invariantHolds), skus };
  };

  const handle = async (req: IncomingMessage): Promise<Reply | null> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "POST" && url.pathname === "/oauth/token") {
      return login(logins, new URLSearchParams(await readText(req)), req.headers.authorization, tokens);
    }
    if (url.pathname === stockPath && req.method === "PUT") {
      await ledger.setStock(stockItems(JSON.parse(await readText(req)) as StockBody));
    }
    if (url.pathname === stockPath && (req.method === "PUT" || req.method === "GET")) {
      return reply(200, options.stockApi === "test-control" ? snapshot() : await ledger.available());
    }
    if (options.stockApi === "test-control" && url.pathname === "/__admin/snapshot") return reply(200, snapshot());
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const owner = token === undefined ? undefined : tokens.get(token);
    if (owner === undefined) return problem(401, "INVALID_TOKEN", "A valid bearer token is required.");
    if (req.method === "GET" && url.pathname === pathTemplates.reserve) {
      if (faults.hangOnReserve) return null;
      const orderId = url.searchParams.get("paymentOrderId");
      const lines = linesOf(url.searchParams.get("customData"));
      if (orderId === null || lines === null)
        return problem(400, "BAD_REQUEST", "paymentOrderId and customData needed.");
      return ledger.reserve(owner, orderId, lines);
    }
    const pay = idIn(pathTemplates.pay, url.pathname);
    if (req.method === "GET" && pay !== undefined) return ledger.pay(owner, pay);
    const cancel = idIn(pathTemplates.cancel, url.pathname);
    if (req.method === "DELETE" && cancel !== undefined) return ledger.cancel(owner, cancel);
    return problem(404, "NOT_FOUND", `No route ${req.method} ${url.pathname}.`);
  };

  const server = createServer(async (req, res) => {
    inFlight++;
    try {
      // Setting and reading stock is the test's own business, never refused.
      const control = req.url?.startsWith("/__admin/") || req.url?.startsWith("/dev/");
      if (faults.maxInFlight !== undefined && !control) {
        if (inFlight > faults.maxInFlight) {
          await readText(req);
          return send(res, problem(500, "POOL_EXHAUSTED", `more than ${faults.maxInFlight} requests in flight`));
        }
        // Each request holds one pooled connection across a database round trip.
        await roundTrip();
      }
      const answer = await handle(req);
      if (answer !== null) send(res, answer);
    } catch (error) {
      send(res, problem(500, "INTERNAL", String(error)));
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
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ledger.close?.();
    },
  };
}
