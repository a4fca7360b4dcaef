import { join } from "node:path";
import { Agent, request } from "undici";
import { createMockBackend } from "../../../src/backend/msw/index.js";
import { createReference, type ReferenceOptions } from "../../../src/backend/reference.js";
import type { ReceivedResponse, SentRequest } from "../../../src/verify/calls/index.js";
import { received } from "../../../src/verify/contract/exchange.js";
import { ensureBuilt } from "../built-cli.js";
import { spawnReference, startReference, tempDir } from "../reference.js";
import { withWriteLock } from "../write-lock.js";

export type Send = (request: SentRequest) => Promise<ReceivedResponse>;

/** One way of reaching the API; every behaviour test runs against each. */
export interface Target {
  readonly send: Send;
  /** Errors the server met and answered with 500 (bugs). */
  unexpected(): readonly string[];
  /** The same server with its test-control API off. */
  readonly adminOff?: Send;
  /** A second server whose SQLite file another connection can lock, so its writers give up. */
  readonly busy?: { readonly send: Send; lock<T>(work: () => Promise<T>, write?: boolean): Promise<T> };
}

/** What a section asks of a target. Only in-process targets take a clock. */
export interface TargetOptions {
  readonly clock?: () => number;
  readonly holdTtlMs?: number;
  readonly accessTtlSeconds?: number;
}

export interface TargetKind {
  readonly name: string;
  /** False for targets whose clock is the real one (a separate process). */
  readonly takesClock: boolean;
  /** The server variants `open` gives besides the main one, and "pageChecks" when the main one checks Host and Origin. */
  readonly variants: readonly ("adminOff" | "storeBusy" | "pageChecks")[];
  open(options: TargetOptions): Promise<Target>;
}

/** Every target signs with this secret, so calls can forge tokens against it. */
export const matrixTokenSecret = "behaviour-matrix-signing-secret";

async function fromFetch(response: Response): Promise<ReceivedResponse> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  return received(response.status, headers, await response.text());
}

const toRequest = (base: string, r: SentRequest) =>
  new Request(`${base}${r.path}`, { method: r.method, headers: r.headers, body: r.body });

function overHttp(base: string, agent: Agent): Send {
  return async (r) => {
    const response = await request(`${base}${r.path}`, {
      method: r.method,
      headers: r.headers,
      body: r.body,
      dispatcher: agent,
    });
    return received(response.statusCode, response.headers, await response.body.text());
  };
}

const closers: (() => Promise<void> | void)[] = [];
/** Stops every server the targets started; call once, in the matrix file's afterAll. */
export async function closeTargets(): Promise<void> {
  await Promise.all(closers.splice(0).map((close) => close()));
}

function referenceOptions(options: TargetOptions, errors: string[]): ReferenceOptions {
  return {
    tokenSecret: matrixTokenSecret,
    onUnexpected: (error) => errors.push(String(error)),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.holdTtlMs === undefined ? {} : { rules: { holdTtlMs: options.holdTtlMs } }),
    ...(options.accessTtlSeconds === undefined ? {} : { accessTtlSeconds: options.accessTtlSeconds }),
  };
}

const appFetch: TargetKind = {
  name: "app.fetch on the memory store",
  takesClock: true,
  variants: ["adminOff"],
  async open(options) {
    const errors: string[] = [];
    const inProcess = (adminKey?: null) => {
      const reference = createReference({
        ...referenceOptions(options, errors),
        db: "memory",
        ...(adminKey === null ? { adminKey } : {}),
      });
      closers.push(() => reference.close());
      return (r: SentRequest) =>
        Promise.resolve(reference.app.fetch(toRequest("http://stockproof.test", r))).then(fromFetch);
    };
    return { send: inProcess(), adminOff: inProcess(null), unexpected: () => errors };
  },
};

const listening: TargetKind = {
  name: "listening server on SQLite",
  takesClock: true,
  variants: ["adminOff", "storeBusy", "pageChecks"],
  async open(options) {
    const errors: string[] = [];
    const agent = new Agent({ connections: 16 });
    const common = referenceOptions(options, errors);
    // Writers of the busy server give up after 50 ms, so a held lock turns into 503 quickly.
    const [main, off, busy] = await Promise.all([
      startReference(common),
      startReference({ ...common, adminKey: null }),
      startReference({ ...common, busyTimeoutMs: 50 }),
    ]);
    closers.push(async () => {
      await Promise.all([main.close(), off.close(), busy.close()]);
      await agent.close();
    });
    return {
      send: overHttp(main.url, agent),
      adminOff: overHttp(off.url, agent),
      busy: {
        send: overHttp(busy.url, agent),
        lock: (work, write = false) =>
          withWriteLock(busy.dbPath, work, (db) => {
            if (write) db.prepare("UPDATE skus SET available = available - 1, initial = initial - 1").run();
          }),
      },
      unexpected: () => errors,
    };
  },
};

const mockBackend: TargetKind = {
  name: "createMockBackend().fetch",
  takesClock: true,
  variants: ["adminOff"],
  async open(options) {
    const errors: string[] = [];
    // A base path of its own: the backend must strip it before the app sees the request.
    const base = "http://127.0.0.1:1/api";
    const backend = (adminKey?: null) => {
      const made = createMockBackend({
        baseUrl: base,
        tokenSecret: matrixTokenSecret,
        onUnexpected: (error) => errors.push(String(error)),
        ...(adminKey === null ? { adminKey } : {}),
        ...(options.clock === undefined ? {} : { clock: options.clock }),
        ...(options.holdTtlMs === undefined ? {} : { holdTtlMs: options.holdTtlMs }),
        ...(options.accessTtlSeconds === undefined ? {} : { accessTtlSeconds: options.accessTtlSeconds }),
      });
      return (r: SentRequest) => made.fetch(toRequest(base, r)).then(fromFetch);
    };
    return { send: backend(), adminOff: backend(null), unexpected: () => errors };
  },
};

const builtCli: TargetKind = {
  name: "the built CLI's server",
  takesClock: false,
  // One process for the whole matrix file keeps this target cheap; it has no other variants.
  variants: ["pageChecks"],
  async open() {
    ensureBuilt();
    const temp = tempDir("stockproof-matrix-");
    const served = await spawnReference(["--db", join(temp.dir, "matrix.db"), "--token-secret", matrixTokenSecret]);
    const agent = new Agent({ connections: 16 });
    closers.push(async () => {
      await served.stop();
      await agent.close();
      temp.remove();
    });
    return {
      send: overHttp(served.url, agent),
      unexpected: () => served.output.filter((line) => line.startsWith("unexpected error")),
    };
  },
};

/** In-process Hono, a real listening server on SQLite, the MSW backend in-process, and `stockproof serve`. */
export const targetKinds: readonly TargetKind[] = [appFetch, listening, mockBackend, builtCli];
