/**
 * @module
 * Serves a fetch handler on Node's http with bounded sockets, headers and timeouts.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { cutConnectionKind } from "../http/test-control/cut-connection.js";

/**
 * Limits that keep one process's sockets and memory bounded whatever clients do. Each default
 * is chosen for the seed's load (up to ~1000 simultaneous calls from a few load runners) and
 * against the classic attacks: slow headers, idle sockets, oversized headers.
 */
export interface ServerLimits {
  /** A client must finish its request line and headers within this (slow-loris bound). */
  readonly headersTimeoutMs: number;
  /** A whole request, body included, must arrive within this. Bodies are ≤ 64 KiB, so it is generous. */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive socket is closed after this; load runners reuse sockets well within it. */
  readonly keepAliveTimeoutMs: number;
  /** How often the two timeouts above are enforced (Node's default, 30 s, would let a slow client stay 40 s). */
  readonly connectionsCheckingIntervalMs: number;
  /** Request line plus headers; above it the client gets 431. Covers the 32 KiB URL limit plus a bearer token. */
  readonly maxHeaderBytes: number;
  /** Open sockets per process; beyond it new sockets are closed at once, unread (the hard cap). */
  readonly maxConnections: number;
  /**
   * Open sockets beyond which each request is answered 503 with Retry-After and its socket closed,
   * instead of being served: a client sees "busy, come back" rather than a dropped connection.
   * Between this and maxConnections such sockets still cost their parser and header buffer.
   */
  readonly busyConnections: number;
  /** Requests per keep-alive socket before the server asks the client to reconnect (0: no limit). */
  readonly maxRequestsPerSocket: number;
  /** On close: how long requests under way may still be answered before every socket is cut. */
  readonly drainMs: number;
}

export const defaultServerLimits: ServerLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  // A load runner that opens thousands of sockets before a burst can spend several seconds preparing
  // the requests (50 000 reservation URLs on a busy machine): at Node's 5 s the server closed its
  // warmed sockets first, and the first request on each failed. Sockets stay capped by maxConnections.
  keepAliveTimeoutMs: 30_000,
  connectionsCheckingIntervalMs: 1_000,
  maxHeaderBytes: 64 * 1024,
  // A socket costs at most its 64 KiB header buffer while a request arrives: 8192 sockets ≤ 512 MiB
  // of header buffers. Above 6144 (a runner's pool of 4096 plus others' headroom) requests are
  // answered 503 with Retry-After; above 8192, new sockets are dropped unread.
  maxConnections: 8_192,
  busyConnections: 6_144,
  // Unlimited: a limit only forces reconnects on load runners; idle sockets are bounded by keepAliveTimeoutMs instead.
  maxRequestsPerSocket: 0,
  drainMs: 5_000,
});

/**
 * The socket limits of `serve --max-connections N`: new sockets dropped above N, requests answered
 * 503 above 3/4 of N (the defaults' 6144 of 8192), the quarter between for clients to be told.
 */
export function connectionLimits(maxConnections: number): Pick<ServerLimits, "maxConnections" | "busyConnections"> {
  return { maxConnections, busyConnections: Math.floor((maxConnections * 3) / 4) };
}

export interface ListenOptions {
  readonly port: number;
  readonly host: string;
  /** Overrides of `defaultServerLimits` (tests use short timeouts). */
  readonly limits?: Partial<ServerLimits>;
}

export interface Listening {
  readonly server: Server;
  readonly url: string;
  close(): Promise<void>;
}

const reasons: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  431: "Request Header Fields Too Large",
};

/** Answers a request the HTTP parser refused (never reaches the app) with a short problem+json, then closes. */
function refuseMalformed(error: Error & { code?: string }, socket: Socket, limits: ServerLimits) {
  // A response already under way on this socket cannot be followed by another: just close (as Node does).
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || error.code === "ECONNRESET" || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : error.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
  const detail =
    status === 431
      ? `The request line and headers exceed ${limits.maxHeaderBytes} bytes.`
      : status === 408
        ? `The request did not arrive in time: headers within ${limits.headersTimeoutMs} ms, all of it within ${limits.requestTimeoutMs} ms.`
        : "The request is not valid HTTP/1.1.";
  const body = JSON.stringify({ type: "about:blank", title: reasons[status], status, detail });
  socket.end(
    `HTTP/1.1 ${status} ${reasons[status]}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** Seconds a client refused at the connection limit is asked to wait (Retry-After). */
const busyRetryAfterSeconds = 1;

/** The answer to a request on a socket above busyConnections: 503, Retry-After, close. */
function refuseBusy(res: ServerResponse, limits: ServerLimits) {
  const body = JSON.stringify({
    type: "about:blank",
    title: "Service Unavailable",
    status: 503,
    detail: `The server holds ${limits.busyConnections} connections, its limit; retry after ${busyRetryAfterSeconds} s on a new connection.`,
  });
  res.shouldKeepAlive = false;
  res.writeHead(503, {
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(body),
    "retry-after": String(busyRetryAfterSeconds),
    connection: "close",
  });
  res.end(body);
}

/**
 * Serves a fetch handler with deliberate limits: slow or idle clients cannot hold
 * sockets forever, headers are bounded, and the number of sockets is capped.
 */
export function listen(
  fetch: (request: Request, bindings?: unknown) => Response | Promise<Response>,
  options: ListenOptions,
): Promise<Listening> {
  const limits: ServerLimits = { ...defaultServerLimits, ...options.limits };
  // A fault rule's cut connection: nothing is written; the socket is reset (RST) or closed (FIN).
  const serve = getRequestListener(async (request, bindings) => {
    const response = await fetch(request, bindings);
    const cut = cutConnectionKind(response);
    if (cut === null) return response;
    const socket = bindings.incoming.socket as Socket;
    if (cut === "connectionReset") socket.resetAndDestroy();
    else socket.destroy();
    return new Response(null, { status: 204 });
  });
  // Sockets that arrived while busyConnections were open: their requests are refused with 503.
  const busy = new WeakSet<Socket>();
  let open = 0;
  // Once closing, every answer ends its connection: a keep-alive client that keeps sending would
  // otherwise be served for as long as it goes on, and close() would wait for it.
  let closing = false;
  const underWay = new Set<ServerResponse>();
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.connectionsCheckingIntervalMs,
    },
    (req: IncomingMessage, res: ServerResponse) => {
      if (closing) res.setHeader("connection", "close");
      else {
        underWay.add(res);
        res.once("close", () => underWay.delete(res));
      }
      if (busy.has(req.socket)) refuseBusy(res, limits);
      else void serve(req, res);
    },
  );
  server.on("connection", (socket: Socket) => {
    open++;
    if (open > limits.busyConnections) busy.add(socket);
    socket.once("close", () => {
      open--;
    });
  });
  // A client that half-closes after its request (socket.end(request), a load tool, `curl` with
  // stdin at EOF) still waits for the answer (RFC 9112, 9.6). Node's server would end its side as
  // soon as it reads that FIN, and any answer not ready by then (the first use of a token is
  // verified on the thread pool) was written to an ended socket: an empty reply, though the
  // operation ran. With this, Node marks the request under way as the connection's last and ends
  // the socket once its answer is written; a socket half-closed with nothing under way is still
  // ended at once. httpAllowHalfOpen is a long-standing http.Server property missing from @types/node.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.maxConnections = limits.maxConnections;
  server.on("clientError", (error: Error & { code?: string }, socket: Socket) =>
    refuseMalformed(error, socket, limits),
  );
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // A burst of 1000 clients connecting at once overflows Node's default backlog of 511; the
    // kernel caps this at net.core.somaxconn.
    server.listen({ port: options.port, host: options.host, backlog: 4096 }, () => {
      server.off("error", reject);
      const address = server.address() as AddressInfo;
      const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve({
        server,
        url: `http://${host}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            closing = true;
            for (const res of underWay) if (!res.headersSent) res.setHeader("connection", "close");
            server.close(() => done());
            server.closeIdleConnections();
            // A request still under way gets its answer (with Connection: close) for this long.
            setTimeout(() => server.closeAllConnections(), limits.drainMs).unref();
          }),
      });
    });
  });
}
