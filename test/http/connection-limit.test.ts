import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type Listening, listen } from "../../src/server/listen.js";

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
