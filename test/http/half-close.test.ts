import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { listen } from "../../src/backend/server/listen.js";
import { api } from "../helpers/api.js";
import { buyer, type RunningReference, startReference } from "../helpers/reference.js";

/*
 * A client may send its request and then half-close its socket (shutdown of its writing side:
 * `socket.end(request)`, `curl` with stdin at EOF, many load tools). A half-closed connection does
 * not delimit a request and does not mean the client lost interest (RFC 9112, 9.6): the answer is
 * still owed. Node's HTTP server ends its side as soon as it reads the client's FIN unless told
 * otherwise, so an answer that took more than one turn of the event loop (the first use of a
 * token, checked with WebCrypto on the thread pool) was written to an ended socket: the client got
 * an empty reply, while the operation itself had run.
 */

/** Sends `head` on a new socket, half-closes it at once, and returns all the server wrote. */
function sendAndHalfClose(url: string, head: Buffer): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(Number(port), "127.0.0.1", () => socket.end(head));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
  });
}

const statusOf = (reply: string) => Number(/^HTTP\/1\.1 (\d{3}) /.exec(reply)?.[1] ?? Number.NaN);

describe("a request whose client half-closes its socket", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it("is answered when the answer is ready only after the server has read the client's FIN", async () => {
    const listening = await listen(
      async (_request, bindings) => {
        // The answer waits for the server to read the client's FIN: the order that lost the answer.
        const socket = (bindings as { incoming: { socket: Socket } }).incoming.socket;
        if (!socket.readableEnded) await new Promise((resolve) => socket.once("end", resolve));
        return new Response("late", { status: 200, headers: { "content-type": "text/plain" } });
      },
      { port: 0, host: "127.0.0.1" },
    );
    stop = listening.close;
    const reply = await sendAndHalfClose(
      listening.url,
      Buffer.from("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    );
    expect(statusOf(reply), JSON.stringify(reply)).toBe(200);
    expect(reply.endsWith("\r\n\r\nlate")).toBe(true);
  });

  it("gets its 4xx problem+json from a fresh reference server on the token's first use, stock untouched", async () => {
    const server: RunningReference = await startReference();
    stop = server.close;
    const client = api(server.url);
    // Login issues the token; the request below is the first to verify it (the slow, uncached path).
    const token = await client.login(buyer);
    const { takenAt: _before, ...before } = (await client.snapshot()).body;
    // The counterexample input-fuzz found: no query at all, and an X-Fuzz value with bytes ≥ 0x80.
    const head = Buffer.concat([
      Buffer.from(`GET /orders/payment/choice? HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n`),
      Buffer.from("X-Fuzz: "),
      Buffer.from([77, 9, 146, 106, 166, 38, 217, 152, 77]),
      Buffer.from("\r\nConnection: close\r\n\r\n"),
    ]);
    const reply = await sendAndHalfClose(server.url, head);
    expect(statusOf(reply), JSON.stringify(reply.slice(0, 300))).toBe(400);
    expect(reply).toMatch(/\r\ncontent-type: application\/problem\+json\r\n/i);
    const body = JSON.parse(reply.slice(reply.indexOf("\r\n\r\n") + 4)) as { code?: string };
    expect(body.code).toBe("MISSING_PARAMETER");
    const { takenAt: _after, ...after } = (await client.snapshot()).body;
    expect(after).toEqual(before);
  });
});
