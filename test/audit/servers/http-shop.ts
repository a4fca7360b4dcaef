import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One cart line: a SKU and how many units. */
export interface Line {
  readonly sku: number;
  readonly count: number;
}

/** What a shop answers: a status and a JSON body (errors carry a `code`, like most real servers). */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The part that differs between the audit's test servers: how stock is kept. Everything else —
 * login, request parsing, routing — is this one small HTTP front, so each server's bug (or its
 * different status codes) is the only thing that sets it apart.
 */
export interface ShopLogic {
  reserve(owner: string, orderId: string, lines: readonly Line[]): Promise<Reply>;
  pay(owner: string, orderId: string): Promise<Reply>;
  cancel(owner: string, orderId: string): Promise<Reply>;
  /** The shop's own reset (what a team's reset script would call). */
  setStock(items: readonly { productStockId: number; quantity: number }[]): Promise<void>;
  /** Available units per SKU, for the shop's own snapshot endpoint. */
  available(): Promise<Record<number, number>>;
  close?(): Promise<void> | void;
}

export interface RunningShop {
  readonly url: string;
  close(): Promise<void>;
}

const users: Record<string, { password: string; userName: string }> = {
  "buyer@example.com": { password: "buyer-password", userName: "144602" },
  "other@example.com": { password: "other-password", userName: "144603" },
};
const client = { id: "clientapp", secret: "secret" };

export const reply = (status: number, body: unknown): Reply => ({ status, body });
export const problem = (status: number, code: string, message: string): Reply => ({
  status,
  body: { status, code, message },
});
export const orderReply = (orderId: string, owner: string, status: string, lines: readonly Line[]): Reply =>
  reply(200, {
    paymentOrderId: orderId,
    status,
    userName: owner,
    lines: lines.map((l) => ({ productStockId: l.sku, count: l.count })),
  });

function send(res: ServerResponse, answer: Reply): void {
  const text = JSON.stringify(answer.body);
  res.writeHead(answer.status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Lines from the seed's customData: productStockList, or productInfoList carrying productStockId-less lines. */
function linesOf(customData: string | null): Line[] | null {
  if (customData === null) return null;
  try {
    const data = JSON.parse(customData) as { productStockList?: { productStockId: number; orderCount: number }[] };
    const list = data.productStockList;
    if (!Array.isArray(list) || list.length === 0) return null;
    return list.map((l) => ({ sku: Number(l.productStockId), count: Number(l.orderCount) }));
  } catch {
    return null;
  }
}

function login(form: URLSearchParams, authorization: string | undefined, tokens: Map<string, string>): Reply {
  let id = form.get("client_id");
  let secret = form.get("client_secret");
  if (authorization?.startsWith("Basic ")) {
    const [basicId, basicSecret] = Buffer.from(authorization.slice(6), "base64").toString("utf8").split(":");
    id = basicId ?? null;
    secret = basicSecret ?? null;
  }
  if (id !== client.id || secret !== client.secret) return reply(401, { error: "invalid_client" });
  let userName: string | undefined;
  if (form.get("grant_type") === "password") {
    const user = users[form.get("username") ?? ""];
    if (user !== undefined && user.password === form.get("password")) userName = user.userName;
  } else if (form.get("grant_type") === "refresh_token") {
    userName = tokens.get(form.get("refresh_token") ?? "");
  }
  if (userName === undefined) return reply(400, { error: "invalid_grant" });
  const access = randomUUID();
  const refresh = randomUUID();
  tokens.set(access, userName);
  tokens.set(refresh, userName);
  return reply(200, {
    access_token: access,
    token_type: "bearer",
    refresh_token: refresh,
    expires_in: 3600,
    scope: "read write",
    jti: randomUUID(),
  });
}

/**
 * Starts a small real HTTP server on 127.0.0.1, port 0, speaking the order-payment API (login,
 * reserve, pay, cancel) over the given logic, plus `PUT /dev/stock` and `GET /dev/stock`: the
 * shop's own reset and stock endpoints, which are not the reference's test-control API.
 */
export async function startShop(logic: ShopLogic): Promise<RunningShop> {
  const tokens = new Map<string, string>();
  const handle = async (req: IncomingMessage): Promise<Reply> => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "POST" && url.pathname === "/oauth/token") {
      return login(new URLSearchParams(await readText(req)), req.headers.authorization, tokens);
    }
    if (url.pathname === "/dev/stock") {
      if (req.method === "GET") return reply(200, await logic.available());
      if (req.method === "PUT") {
        const body = JSON.parse(await readText(req)) as { items: { productStockId: number; quantity: number }[] };
        await logic.setStock(body.items);
        return reply(200, await logic.available());
      }
    }
    const token = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const owner = token === undefined ? undefined : tokens.get(token);
    if (owner === undefined) return problem(401, "INVALID_TOKEN", "A valid bearer token is required.");
    if (req.method === "GET" && url.pathname === "/orders/payment/choice") {
      const orderId = url.searchParams.get("paymentOrderId");
      const lines = linesOf(url.searchParams.get("customData"));
      if (orderId === null || lines === null)
        return problem(400, "BAD_REQUEST", "paymentOrderId and customData needed.");
      return logic.reserve(owner, orderId, lines);
    }
    const pay = /^\/orders\/payment\/kcp\/payResultTest\/([^/]+)$/.exec(url.pathname);
    if (req.method === "GET" && pay) return logic.pay(owner, decodeURIComponent(pay[1] as string));
    const cancel = /^\/orders\/payment\/cancel\/([^/]+)$/.exec(url.pathname);
    if (req.method === "DELETE" && cancel) return logic.cancel(owner, decodeURIComponent(cancel[1] as string));
    return problem(404, "NOT_FOUND", `No route ${req.method} ${url.pathname}.`);
  };

  const server = createServer((req, res) => {
    handle(req).then(
      (answer) => send(res, answer),
      (error: unknown) => send(res, problem(500, "INTERNAL", String(error))),
    );
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await logic.close?.();
    },
  };
}
