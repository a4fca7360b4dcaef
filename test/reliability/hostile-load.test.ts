import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { Agent, request } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import type { ServerLimits } from "../../src/backend/server/listen.js";
import { validateResponse } from "../../src/backend/spec/validators.js";
import { api } from "../helpers/api.js";
import { buyer, tempDir } from "../helpers/reference.js";
import { scale, waitUntil } from "./support.js";

/*
 * Hostile load against a server in its own process (dist/, built by `npm run build`), with short
 * limits passed to listen(): thousands of idle sockets, slow-loris headers, slow bodies, oversized
 * headers and bodies. The server must close what the limits say it closes, keep its sockets and
 * memory bounded, and a normal client's login → reserve → cancel must still complete correctly.
 * Latency is measured and printed, not asserted (timing belongs to benchmarks).
 */

const idle = scale(500, 2000);
const slow = scale(50, 200);
const oversized = scale(20, 100);
const flows = scale(5, 20);

const dist = new URL("../../dist/", import.meta.url).href;
const serverScript = `
import { createReference } from "${dist}backend/reference.js";
import { listen } from "${dist}backend/server/listen.js";
const reference = createReference({ db: process.env.DB });
const listening = await listen(reference.app.fetch, { port: 0, host: "127.0.0.1", limits: JSON.parse(process.env.LIMITS) });
console.log("Listening on " + listening.url);
`;

interface Child {
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly process: ChildProcess;
}

async function startServer(dir: string, name: string, limits: Partial<ServerLimits>): Promise<Child> {
  const script = join(dir, `${name}.mjs`);
  writeFileSync(script, serverScript);
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, DB: join(dir, `${name}.db`), LIMITS: JSON.stringify(limits) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const match = /^Listening on (\S+)$/.exec(line);
      if (match) resolve(match[1] as string);
    });
    child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening`)));
  });
  return { url, port: Number(new URL(url).port), pid: child.pid as number, process: child };
}

/** Open sockets of a process, counted from /proc/PID/fd (the listening socket included). */
function socketsOf(pid: number): number {
  let count = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith("socket:")) count++;
    } catch {
      // closed while we looked
    }
  }
  return count;
}

/** Resident memory of a process in MiB. */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0) / 1024;
}

interface Tracked {
  readonly socket: Socket;
  readonly opened: number;
  closedAfter?: number;
  reply: string;
  sent: number;
}

function open(port: number): Promise<Tracked> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const tracked: Tracked = { socket, opened: performance.now(), reply: "", sent: 0 };
    socket.on("data", (chunk) => {
      tracked.reply += chunk.toString("latin1");
    });
    socket.on("close", () => {
      tracked.closedAfter = performance.now() - tracked.opened;
    });
    socket.once("connect", () => resolve(tracked));
    socket.once("error", (error) => {
      if (!socket.readyState || socket.connecting) reject(error);
    });
  });
}

/** Writes `text` one byte every `everyMs` until done or the server closes the socket. */
function trickle(tracked: Tracked, text: string, everyMs: number) {
  const timer = setInterval(() => {
    if (tracked.socket.destroyed || tracked.socket.writableEnded || tracked.sent >= text.length) {
      clearInterval(timer);
      return;
    }
    tracked.socket.write(text[tracked.sent++] as string);
  }, everyMs);
  tracked.socket.once("close", () => clearInterval(timer));
}

const statusOf = (reply: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0);
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

describe("hostile load: the server keeps its bounds and keeps serving", () => {
  const temp = tempDir("stockproof-hostile-");
  const children: Child[] = [];
  const sockets: Socket[] = [];
  const agent = new Agent({ connections: 4 });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    for (const c of children) c.process.kill("SIGKILL");
    await agent.close();
    temp.remove();
  });

  const limits: Partial<ServerLimits> = {
    headersTimeoutMs: 1_500,
    requestTimeoutMs: 3_000,
    keepAliveTimeoutMs: 1_000,
    connectionsCheckingIntervalMs: 100,
    maxHeaderBytes: 16 * 1024,
    maxConnections: idle + slow + oversized * 2 + 256,
  };

  /** A normal client's flow; returns its duration in ms. Each step is checked against the spec and the model. */
  async function normalFlow(url: string, n: number): Promise<number> {
    const client = api(url);
    const started = performance.now();
    const token = await client.login(buyer);
    const id = `normal-${n}-${Date.now()}`;
    const reserved = await client.reserve(token, id, [{ productStockId: 800002, orderCount: 2 }]);
    expect(reserved.status).toBe(200);
    expect(reserved.body.status).toBe("RESERVED");
    const cancelled = await client.cancel(token, id);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe("CANCELLED");
    return performance.now() - started;
  }

  it(`idle ×${idle}, slow-loris ×${slow}, slow bodies, oversized headers and bodies ×${oversized}: bounded, and normal clients complete`, async () => {
    const server = await startServer(temp.dir, "attack", limits);
    children.push(server);
    const client = api(server.url);
    const token = await client.login(buyer);
    const stockBefore = (await client.snapshot()).body.skus;
    await normalFlow(server.url, -2); // warm-up: the first flow compiles validators and JITs both sides
    const baseline = { rss: rssOf(server.pid), sockets: socketsOf(server.pid), flow: await normalFlow(server.url, -1) };

    // Peak sockets and memory of the server, sampled through the whole attack.
    let peakSockets = baseline.sockets;
    let peakRss = baseline.rss;
    const sample = () => {
      peakSockets = Math.max(peakSockets, socketsOf(server.pid));
      peakRss = Math.max(peakRss, rssOf(server.pid));
    };
    const sampler = setInterval(sample, 50);

    // Idle sockets that never send a byte, and slow clients trickling headers (and one trickling a body).
    const idlers = await Promise.all(Array.from({ length: idle }, () => open(server.port)));
    const request = `GET /orders/payment/choice?storeId=x HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nX-Padding: ${"p".repeat(200)}\r\n\r\n`;
    const slowpokes = await Promise.all(Array.from({ length: slow }, () => open(server.port)));
    for (const s of slowpokes) trickle(s, request, 40);
    const body =
      "grant_type=password&username=buyer%40example.com&password=buyer-password&client_id=clientapp&client_secret=secret";
    const slowBodies = await Promise.all(Array.from({ length: 5 }, () => open(server.port)));
    for (const s of slowBodies) {
      s.socket.write(
        `POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      trickle(s, `${" ".repeat(0)}${body}`, 100);
    }
    sockets.push(...[...idlers, ...slowpokes, ...slowBodies].map((t) => t.socket));
    sample();

    // Oversized headers (431 from the HTTP layer) and bodies (413, documented), sent meanwhile.
    const big = Promise.all(
      Array.from({ length: oversized }, async (_, i) => {
        const headers = await request_(server.url, "GET", "/orders/payment/choice", { "x-big": "h".repeat(20_000) });
        const declared = await request_(
          server.url,
          "POST",
          "/oauth/token",
          { "content-type": "application/x-www-form-urlencoded" },
          Buffer.alloc(1_000_000, 0x61),
        );
        // No Content-Length: a chunked body must be cut off at the limit, not buffered whole.
        const chunked = await request_(
          server.url,
          "POST",
          "/oauth/token",
          { "content-type": "application/x-www-form-urlencoded" },
          Readable.from(chunks(8 * 1024 * 1024, i)),
        );
        return { headers, declared, chunked };
      }),
    );

    // The normal client, during all of it.
    const latencies: number[] = [];
    for (let n = 0; n < flows; n++) {
      latencies.push(await normalFlow(server.url, n));
    }
    const oversizedResults = await big;
    for (const r of oversizedResults) {
      expect(r.headers.status).toBe(431);
      expect(r.declared.status).toBe(413);
      expect(validateResponse("createToken", 413, r.declared.contentType, r.declared.body).ok).toBe(true);
      expect(r.chunked.status).toBe(413);
    }

    // Every idle and slow socket is closed by the server (the bound), the slow ones with 408 before they finished.
    const attackers = [...idlers, ...slowpokes, ...slowBodies];
    await waitUntil(
      "the server to close every idle and slow socket",
      () => attackers.every((t) => t.closedAfter !== undefined),
      30_000,
    );
    for (const s of slowpokes) {
      expect(statusOf(s.reply)).toBe(408);
      expect(s.sent).toBeLessThan(request.length);
    }
    for (const s of slowBodies) expect(statusOf(s.reply)).toBe(408);
    for (const t of idlers) expect([0, 408]).toContain(statusOf(t.reply));
    clearInterval(sampler);
    expect(peakSockets).toBeLessThanOrEqual((limits.maxConnections ?? 0) + 3);
    await waitUntil(
      "the server's sockets to return to baseline",
      () => socketsOf(server.pid) <= baseline.sockets + 2,
      15_000,
    );

    // Nothing leaked into the stock, and the server still serves.
    expect((await client.snapshot()).body.skus).toEqual(stockBefore);
    const after = await normalFlow(server.url, flows);
    const closeTimes = [...idlers, ...slowpokes].map((t) => t.closedAfter as number);
    console.log(
      [
        `hostile load: ${idle} idle + ${slow} slow-loris + 5 slow-body sockets, ${oversized} × (20 KB header, 1 MB declared body, 8 MB chunked body)`,
        `  server sockets: baseline ${baseline.sockets}, peak ${peakSockets} (cap ${limits.maxConnections}), after ${socketsOf(server.pid)}`,
        `  server RSS: baseline ${baseline.rss.toFixed(0)} MiB, peak ${peakRss.toFixed(0)} MiB, after ${rssOf(server.pid).toFixed(0)} MiB`,
        `  idle/slow sockets closed by the server after: p50 ${percentile(closeTimes, 50).toFixed(0)} ms, max ${Math.max(...closeTimes).toFixed(0)} ms (headersTimeout ${limits.headersTimeoutMs} ms, check every ${limits.connectionsCheckingIntervalMs} ms)`,
        `  slow-loris bytes sent before the cut: max ${Math.max(...slowpokes.map((s) => s.sent))} of ${request.length}`,
        `  normal login → reserve → cancel: baseline ${baseline.flow.toFixed(0)} ms; under attack p50 ${percentile(latencies, 50).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (${flows} flows); after ${after.toFixed(0)} ms`,
      ].join("\n"),
    );
    // Memory stays bounded: sockets are capped and bodies are cut at 64 KiB, so the attack adds tens of MiB, not the 8 MB × N it sent.
    expect(peakRss - baseline.rss).toBeLessThan(200);
  });

  it("cuts a chunked body off at the body limit instead of buffering it", async () => {
    const server = await startServer(temp.dir, "chunked", limits);
    children.push(server);
    const total = scale(128, 512) * 1024 * 1024;
    const before = rssOf(server.pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(server.pid));
    }, 20);
    const response = await request_(
      server.url,
      "POST",
      "/oauth/token",
      { "content-type": "application/x-www-form-urlencoded" },
      Readable.from(chunks(total, 0)),
    );
    clearInterval(sampler);
    peak = Math.max(peak, rssOf(server.pid));
    console.log(
      `  chunked body of ${total / 1024 / 1024} MiB: answer ${response.status}, server RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MiB`,
    );
    expect([413, -1]).toContain(response.status); // 413, or the reset that follows it while we still upload
    expect(peak - before).toBeLessThan(64);
    expect((await api(server.url).snapshot()).status).toBe(200);
  });

  it("closes connections beyond maxConnections at once, and serves again when they go", async () => {
    const cap = 100;
    const server = await startServer(temp.dir, "cap", {
      ...limits,
      headersTimeoutMs: 60_000,
      requestTimeoutMs: 120_000,
      maxConnections: cap,
    });
    children.push(server);
    const flooders = await Promise.all(Array.from({ length: cap + 50 }, () => open(server.port)));
    sockets.push(...flooders.map((t) => t.socket));
    // Only the cap can close them this soon: headersTimeout is a minute.
    await waitUntil(
      "the server to drop the 50 sockets beyond the cap",
      () => flooders.filter((t) => t.closedAfter !== undefined).length >= 50,
      15_000,
    );
    expect(socketsOf(server.pid)).toBeLessThanOrEqual(cap + 3);
    for (const t of flooders) t.socket.destroy();
    await waitUntil("the sockets to go", () => socketsOf(server.pid) <= 3, 15_000);
    expect(await normalFlow(server.url, 0)).toBeGreaterThan(0);
  });

  it("closes an idle keep-alive socket after keepAliveTimeout", async () => {
    const server = await startServer(temp.dir, "keepalive", limits);
    children.push(server);
    const t = await open(server.port);
    sockets.push(t.socket);
    t.socket.write("GET /__admin/snapshot HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Admin-Key: stockproof-admin\r\n\r\n");
    await waitUntil("the server to close the kept-alive socket", () => t.closedAfter !== undefined, 15_000);
    expect(statusOf(t.reply)).toBe(200);
    console.log(
      `  keep-alive socket closed ${t.closedAfter?.toFixed(0)} ms after it opened (keepAliveTimeout ${limits.keepAliveTimeoutMs} ms)`,
    );
  });

  async function* chunks(total: number, seed: number) {
    const chunk = Buffer.alloc(64 * 1024, 0x61 + (seed % 26));
    for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
  }

  async function request_(
    url: string,
    method: "GET" | "POST",
    path: string,
    headers: Record<string, string>,
    body?: Buffer | Readable,
  ): Promise<{ status: number; contentType: string | null; body: unknown }> {
    try {
      const response = await request(`${url}${path}`, { method, headers, body: body ?? null, dispatcher: agent });
      const text = await response.body.text();
      const type = response.headers["content-type"];
      return {
        status: response.statusCode,
        contentType: typeof type === "string" ? type : null,
        body: text ? JSON.parse(text) : undefined,
      };
    } catch (error) {
      // The server may answer 413 and close before the whole body is written; undici then reports the reset.
      return { status: -1, contentType: null, body: String(error) };
    }
  }
});
