import http from "node:http";
import { describe, expect, it } from "vitest";
import { listen } from "../../src/backend/server/listen.js";

/** A promise with its resolve function, to hand control between the test and the handler. */
function signal<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("closing the server (serve on SIGTERM)", () => {
  it("answers the request under way with Connection: close and does not wait out the keep-alive timeout", async () => {
    const arrived = signal();
    const release = signal();
    const listening = await listen(
      async () => {
        arrived.resolve();
        await release.promise;
        return new Response("done");
      },
      { port: 0, host: "127.0.0.1" },
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const answered = new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get(`${listening.url}/slow`, { agent }, resolve).on("error", reject);
    });
    await arrived.promise;
    let closed = false;
    const closing = listening.close().then(() => {
      closed = true;
    });
    release.resolve();
    const response = await answered;
    response.resume();
    // Before: the reply kept the connection alive, and close() waited for the client's socket to
    // idle out (30 s). A keep-alive client sending steadily was served for as long as it went on.
    expect(response.headers.connection).toBe("close");
    await closing;
    expect(closed).toBe(true);
    agent.destroy();
  });
});
