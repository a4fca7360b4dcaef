import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createTargetClient } from "../../src/verify/scenario/client.js";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: Handler): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function clientOf(baseUrl: string, connections: number) {
  return createTargetClient({
    baseUrl,
    connections,
    requestTimeoutMs: 10_000,
    signal: new AbortController().signal,
    epoch: performance.now(),
  });
}

describe("the target client", () => {
  it("takes sentAt when a request is written, not while it waits in the pool for a connection", async () => {
    let answerFirst: () => void = () => {};
    const firstHeld = new Promise<void>((resolve) => {
      answerFirst = resolve;
    });
    const base = await serve((request, response) => {
      const answer = () => response.writeHead(200, { "content-type": "application/json" }).end("{}");
      if (request.url === "/first") firstHeld.then(answer);
      else answer();
    });
    const client = clientOf(base, 1);
    try {
      await client.warm(1);
      // One connection, one request at a time: the second waits in the pool until the first is answered.
      const first = client.send("GET", "/first", {});
      const second = client.send("GET", "/second", {});
      answerFirst();
      const [a, b] = await Promise.all([first, second]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(b.sentAt).toBeGreaterThanOrEqual(a.endedAt);
    } finally {
      await client.close();
    }
  });

  it("holds the writes of corked sockets until they are uncorked, and counts them sent from then", async () => {
    const seen: string[] = [];
    const base = await serve((request, response) => {
      seen.push(request.url ?? "");
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
    const client = clientOf(base, 3);
    try {
      await client.warm(3);
      seen.length = 0;
      const uncork = client.cork();
      const sent = ["/a", "/b", "/c"].map((path) => client.send("GET", path, {}));
      // A request on a socket opened after the cork is not held: its answer arrives while the three wait.
      const other = await fetch(`${base}/other`, { headers: { connection: "close" } });
      expect(other.status).toBe(200);
      expect(seen).toEqual(["/other"]);
      const uncorkedAt = client.now();
      uncork();
      const answers = await Promise.all(sent);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      // Written into held sockets earlier, they were sent when uncorked: sentAt says so.
      for (const answer of answers) expect(answer.sentAt).toBeGreaterThanOrEqual(uncorkedAt);
      expect(seen.slice(1).sort()).toEqual(["/a", "/b", "/c"]);
    } finally {
      await client.close();
    }
  });
});
