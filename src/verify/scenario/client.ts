/**
 * @module
 * The runner's HTTP client: one undici pool to the target, each request bounded in time, each answer classified.
 */

import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { Socket } from "node:net";
import { buildConnector, type Dispatcher, Pool } from "undici";
import { causeOutcome, type TransportCause, transportCause } from "../probe/transport-cause.js";

/** How one HTTP exchange ended, in the runner's terms. */
export type OutcomeClass = "ok" | "rejected" | "other-4xx" | "5xx" | "timeout" | "network" | "aborted" | "not-sent";

export interface Exchange {
  /**
   * Milliseconds since the run's epoch: when the request was written to its socket (while the
   * sockets are corked, the bytes leave when they are uncorked, later), or, if it never was, when
   * it was handed to the pool.
   */
  readonly sentAt: number;
  readonly endedAt: number;
  readonly status: number | null;
  /** The problem `code` (or OAuth `error`) of a non-2xx JSON body, when it names one. */
  readonly code: string | null;
  readonly body: string;
  /** For timeouts and network errors: what happened. */
  readonly failure: "timeout" | "network" | "aborted" | null;
  /** For network errors and timeouts: the cause (refused, reset, DNS, TLS, timeout…). */
  readonly cause: TransportCause | null;
  readonly message: string | null;
}

export interface TargetClientOptions {
  readonly baseUrl: string;
  readonly connections: number;
  readonly requestTimeoutMs: number;
  /** Aborts every request in flight when the run's time is up. */
  readonly signal: AbortSignal;
  /** performance.now() of the run's start. */
  readonly epoch: number;
}

export type Method = "GET" | "POST" | "PUT" | "DELETE";

/** undici publishes each request's headers and socket here as it writes them. */
const sendHeadersChannel = "undici:client:sendHeaders";

/** One undici connection pool to the target, sized to the traffic; every request bounded in time. */
export function createTargetClient(options: TargetClientOptions) {
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, "");
  // The pool's open sockets, so that a burst can cork them all (see `cork`).
  const sockets = new Set<Socket>();
  const pool = openPool(base, options, sockets);
  const now = () => performance.now() - options.epoch;

  // Every request is bounded by the pool's headers and body timeouts (undici's own timers), and the
  // run-wide signal aborts whatever is in flight through one listener: a per-request AbortSignal,
  // a listener per request and a Readable body per response each cost more than the exchange itself
  // on loopback, so requests go through dispatch() with a handler that only collects the bytes.
  const timeUp = () => new Error("The run's time is up.");
  // The request undici is writing now, between its onRequestStart and its headers' message (see `cork`).
  const writing: Writing = { starting: null };
  const inFlight = new Set<Dispatcher.DispatchController>();
  const abortAll = () => {
    for (const controller of inFlight) controller.abort(timeUp());
  };
  options.signal.addEventListener("abort", abortAll, { once: true });

  function exchange(
    method: Method,
    path: string,
    headers: Record<string, string>,
    body: string | undefined,
    started: { at: number | null },
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      let status = 0;
      const chunks: Buffer[] = [];
      let current: Dispatcher.DispatchController | undefined;
      const settle = () => {
        if (current !== undefined) inFlight.delete(current);
      };
      pool.dispatch(
        { origin: base.origin, path: `${prefix}${path}`, method, headers, body: body ?? null },
        {
          onRequestStart(controller) {
            // Called just before undici writes the request: the first write is when it may take effect.
            started.at ??= now();
            writing.starting = started;
            settle(); // a request undici starts again on a new connection replaces its first controller
            current = controller;
            if (options.signal.aborted) controller.abort(timeUp());
            else inFlight.add(controller);
          },
          onResponseStart(_controller, statusCode) {
            status = statusCode;
          },
          onResponseData(_controller, chunk) {
            chunks.push(chunk);
          },
          onResponseEnd() {
            settle();
            const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
            resolve({ status, text: bytes.toString("utf8") });
          },
          onResponseError(_controller, error) {
            settle();
            reject(error);
          },
        },
      );
    });
  }

  async function send(method: Method, path: string, headers: Record<string, string>, body?: string): Promise<Exchange> {
    const handedAt = now();
    const started: { at: number | null } = { at: null };
    const sentAt = () => started.at ?? handedAt;
    try {
      if (options.signal.aborted) throw timeUp();
      const { status, text } = await exchange(method, path, headers, body, started);
      const code = problemCode(status, text);
      return { sentAt: sentAt(), endedAt: now(), status, code, body: text, failure: null, cause: null, message: null };
    } catch (error) {
      const cause = transportCause(error);
      const failure = options.signal.aborted ? "aborted" : cause === "timeout" ? "timeout" : "network";
      const codes = codesText(error);
      const message = error instanceof Error ? `${error.name}: ${error.message}${codes}` : String(error);
      return { sentAt: sentAt(), endedAt: now(), status: null, code: null, body: "", failure, cause, message };
    }
  }

  /** Opens `count` connections by sending that many cheap requests at once and waiting for them. */
  async function warm(count: number, path = "/"): Promise<void> {
    await Promise.all(Array.from({ length: count }, () => send("GET", path, {})));
  }

  /** Holds the writes of every open socket until the returned function runs (see corkSockets). */
  const cork = () => corkSockets(sockets, writing, now);

  /**
   * Corks every open socket for the requests dispatched in this turn of the event loop, and uncorks
   * them once those are written. undici writes a request on a reused idle socket from a setImmediate
   * (it first lets a FIN or RST already pending on the socket be read), so this turn's requests are
   * written in the next check phase, each into its corked socket, and the sockets are uncorked in
   * the check phase after that: the burst then leaves in one run of writes.
   */
  function holdWrites(): void {
    const uncork = cork();
    setImmediate(() => setImmediate(uncork));
  }

  return {
    /** The target's base URL, for messages that name it. */
    target: options.baseUrl,
    send,
    warm,
    cork,
    holdWrites,
    now,
    close: () => {
      options.signal.removeEventListener("abort", abortAll);
      return pool.close();
    },
  };
}

/** The request undici is writing now: set by its onRequestStart, taken by its headers' message. */
interface Writing {
  starting: { at: number | null } | null;
}

/** The pool to the target's origin; each socket it opens joins `sockets` until it closes. */
function openPool(base: URL, options: TargetClientOptions, sockets: Set<Socket>): Pool {
  const connector = buildConnector({ timeout: options.requestTimeoutMs });
  return new Pool(base.origin, {
    connections: options.connections,
    connect: (connectOptions, callback) =>
      connector(connectOptions, (...result) => {
        // Null or absent when the connection failed.
        const socket = result[1] as Socket | null | undefined;
        if (socket) {
          sockets.add(socket);
          socket.once("close", () => sockets.delete(socket));
        }
        callback(...result);
      }),
    pipelining: 1,
    // Shorter than most servers keep idle sockets (Tomcat 20 s, Node 5 s), so none is reused as it closes.
    keepAliveTimeout: 4_000,
    headersTimeout: options.requestTimeoutMs,
    bodyTimeout: options.requestTimeoutMs,
  });
}

/** The problem `code` (or OAuth `error`) an error answer names, or null. */
function problemCode(status: number, text: string): string | null {
  if (status < 300 || !text.startsWith("{")) return null;
  try {
    const parsed = JSON.parse(text) as { code?: unknown; error?: unknown };
    const named = parsed.code ?? parsed.error;
    if (typeof named === "string" && named !== "") return named;
  } catch {
    // A body that is not JSON names no code; the status alone classifies it.
  }
  return null;
}

/**
 * Holds the writes of every open socket until the returned function runs. A burst dispatched in
 * between is only copied into socket buffers, and then leaves in one run of writes, so its
 * requests reach the wire close together instead of each after the previous one's preparation.
 * A request written into a corked socket is sent when its socket is uncorked: its sentAt is
 * moved to that instant (undici names the socket of each request it writes on a diagnostics
 * channel, right after the request's onRequestStart).
 */
function corkSockets(sockets: ReadonlySet<Socket>, writing: Writing, now: () => number): () => void {
  const held = new Map<Socket, { at: number | null }[]>();
  for (const socket of sockets) {
    socket.cork();
    held.set(socket, []);
  }
  const onHeaders = (message: unknown) => {
    const socket = (message as { socket?: Socket }).socket;
    const written = socket === undefined ? undefined : held.get(socket);
    if (written !== undefined && writing.starting !== null) written.push(writing.starting);
    writing.starting = null;
  };
  subscribe(sendHeadersChannel, onHeaders);
  return () => {
    unsubscribe(sendHeadersChannel, onHeaders);
    // A request written twice (undici started it again on another socket) counts from its first send.
    const moved = new Set<{ at: number | null }>();
    for (const [socket, written] of held) {
      const at = now();
      socket.uncork();
      for (const started of written) {
        if (moved.has(started)) continue;
        started.at = at;
        moved.add(started);
      }
    }
  };
}

/** " (ECONNREFUSED)": the socket's own code, which undici's message leaves out. */
function codesText(error: unknown): string {
  const code = (error as { cause?: { code?: unknown } }).cause?.code ?? (error as { code?: unknown }).code;
  return typeof code === "string" && !(error instanceof Error && error.message.includes(code)) ? ` (${code})` : "";
}

export type TargetClient = ReturnType<typeof createTargetClient>;

/** Refusals that say something about stock or order state: the class "rejected", which the checks judge. */
export const stateRefusals: ReadonlySet<string> = new Set([
  "OUT_OF_STOCK",
  "DUPLICATE_PAYMENT_ORDER",
  "ORDER_NOT_FOUND",
  "ORDER_CANCELLED",
  "ORDER_EXPIRED",
  "ORDER_PAID",
]);

/** The outcome name and class of an exchange: "ok", a refusal code, HTTP_400, SERVER_ERROR, TIMEOUT… */
export function classify(exchange: Exchange): { outcome: string; klass: OutcomeClass } {
  if (exchange.failure === "timeout") return { outcome: "TIMEOUT", klass: "timeout" };
  if (exchange.failure === "aborted") return { outcome: "ABORTED", klass: "aborted" };
  if (exchange.failure === "network") return { outcome: causeOutcome[exchange.cause ?? "other"], klass: "network" };
  const status = exchange.status ?? 0;
  if (status >= 200 && status < 300) return { outcome: "ok", klass: "ok" };
  if (status >= 500) return { outcome: exchange.code ?? `HTTP_${status}`, klass: "5xx" };
  const outcome = exchange.code ?? `HTTP_${status}`;
  return { outcome, klass: stateRefusals.has(outcome) ? "rejected" : "other-4xx" };
}
