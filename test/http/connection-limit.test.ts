import { connect, type Socket } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectionLimits, defaultServerLimits, type Listening, listen } from "../../src/backend/server/listen.js";
import { resolveServeSettings } from "../../src/base/config/serve-settings.js";
import { ensureBuilt, serveOutcome } from "../helpers/built-cli.js";
import { spawnReference } from "../helpers/reference.js";

/** A raw keep-alive socket that sends one request and collects what comes back until the server closes or answers. */
function exchange(url: string): Promise<{ socket: Socket; reply: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET / HTTP/1.1\r\nHost: ${hostname}\r\nConnection: keep-alive\r\n\r\n`);
      resolve({ socket, reply: () => chunks.join(""), closed });
    });
    const chunks: string[] = [];
    const closed = new Promise<void>((done) => socket.once("close", () => done()));
    socket.on("data", (chunk) => chunks.push(chunk.toString()));
    socket.on("error", () => {});
    socket.once("error", reject);
  });
}

async function until(what: string, condition: () => boolean, deadlineMs = 5_000) {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

let server: Listening | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.close();
});

describe("the connection limit", () => {
  it("answers 503 with Retry-After beyond busyConnections instead of dropping the connection", async () => {
    server = await listen(() => new Response("ok"), {
      port: 0,
      host: "127.0.0.1",
      limits: { busyConnections: 4, maxConnections: 8 },
    });
    const served = [];
    for (let i = 0; i < 4; i++) {
      const held = await exchange(server.url);
      sockets.push(held.socket);
      served.push(held);
    }
    for (const held of served) await until("an answer", () => held.reply().includes("\r\n\r\nok"));
    for (const held of served) expect(held.reply()).toMatch(/^HTTP\/1\.1 200/);

    const refused = await exchange(server.url);
    sockets.push(refused.socket);
    await refused.closed;
    const reply = refused.reply();
    expect(reply).toMatch(/^HTTP\/1\.1 503/);
    expect(reply).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(reply).toMatch(/\r\nconnection: close\r\n/i);
    expect(reply).toContain('"status":503');

    // A socket closed makes room again.
    served[0]?.socket.destroy();
    await served[0]?.closed;
    const again = await exchange(server.url);
    sockets.push(again.socket);
    await until("an answer", () => again.reply().length > 0);
    expect(again.reply()).toMatch(/^HTTP\/1\.1 200/);
  });
});

describe("serve --max-connections", () => {
  beforeAll(() => ensureBuilt());

  it("sets the limits of the real server: with 8, the seventh socket's request is answered 503 with Retry-After", async () => {
    const spawned = await spawnReference(["--db", ":memory:", "--max-connections", "8"]);
    try {
      // 3/4 of 8: six sockets are served; the seventh is told to come back.
      const served = [];
      for (let i = 0; i < 6; i++) {
        const held = await exchange(spawned.url);
        sockets.push(held.socket);
        served.push(held);
      }
      for (const held of served) await until("an answer", () => /\r\n\r\n/.test(held.reply()));
      for (const held of served) expect(held.reply()).not.toMatch(/^HTTP\/1\.1 503/);
      const refused = await exchange(spawned.url);
      sockets.push(refused.socket);
      await refused.closed;
      expect(refused.reply()).toMatch(/^HTTP\/1\.1 503/);
      expect(refused.reply()).toMatch(/\r\nretry-after: 1\r\n/i);
      expect(refused.reply()).toContain("The server holds 6 connections, its limit");
    } finally {
      await spawned.stop();
    }
  });

  it("is bounded where it is parsed: one line naming the flag or variable, the value and the range", () => {
    for (const value of ["7", "1000001", "0", "-8", "8.5", "many", ""])
      expect(() => resolveServeSettings({ maxConnections: value }, {}), value).toThrow(
        `--max-connections must be an integer from 8 to 1000000 (got ${value})`,
      );
    expect(() => resolveServeSettings({}, { STOCKPROOF_MAX_CONNECTIONS: "4" })).toThrow(
      "STOCKPROOF_MAX_CONNECTIONS must be an integer from 8 to 1000000 (got 4)",
    );
    expect(resolveServeSettings({ maxConnections: "8" }, {}).maxConnections).toBe(8);
    expect(resolveServeSettings({}, { STOCKPROOF_MAX_CONNECTIONS: "1000000" }).maxConnections).toBe(1_000_000);
    expect(resolveServeSettings({}, {}).maxConnections).toBe(8192);
    expect(connectionLimits(8192)).toEqual({
      maxConnections: defaultServerLimits.maxConnections,
      busyConnections: defaultServerLimits.busyConnections,
    });
  });

  it("serve --max-connections 7 exits 2 with that line, nothing started", async () => {
    const outcome = await serveOutcome(["--port", "0", "--db", ":memory:", "--max-connections", "7"]);
    expect(outcome.kind === "exited" && outcome.code).toBe(2);
    expect(outcome.output.trim()).toBe("--max-connections must be an integer from 8 to 1000000 (got 7)");
  });
});
