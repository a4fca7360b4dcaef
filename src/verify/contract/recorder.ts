/**
 * @module
 * A pass-through between Prism and the server that keeps what the server really answered.
 */

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent, request } from "undici";
import { type ReceivedResponse, received } from "./exchange.js";

/** The header that ties a request Prism forwards to the exchange that sent it. */
export const exchangeHeader = "x-stockproof-exchange";

// Hop-by-hop headers belong to one connection, not to the message being relayed.
const hopByHop = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "host"]);
// Asked for without compression, so the recorded body is readable.
const notForwarded = new Set([...hopByHop, "accept-encoding"]);

/**
 * A pass-through between Prism and the server under test. Prism under --errors replaces a
 * non-conforming response with its own 500; the recorder keeps what the server really answered,
 * so a report can show it.
 */
export async function startRecorder(target: string) {
  const agent = new Agent({ connections: 512, pipelining: 1 });
  const seen = new Map<string, ReceivedResponse>();
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", async () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (value !== undefined && !notForwarded.has(name))
          headers[name] = Array.isArray(value) ? value.join(", ") : value;
      }
      const body = chunks.length === 0 ? null : Buffer.concat(chunks);
      try {
        const answer = await request(`${target}${incoming.url ?? "/"}`, {
          method: (incoming.method ?? "GET") as "GET",
          headers,
          body,
          dispatcher: agent,
        });
        const payload = Buffer.from(await answer.body.arrayBuffer());
        const id = headers[exchangeHeader];
        if (id !== undefined) seen.set(id, received(answer.statusCode, answer.headers, payload.toString("utf8")));
        const relayed: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !hopByHop.has(name) && name !== "content-length") relayed[name] = value;
        }
        outgoing.writeHead(answer.statusCode, { ...relayed, "content-length": String(payload.length) });
        outgoing.end(payload);
      } catch (error) {
        outgoing.writeHead(502, { "content-type": "text/plain" });
        outgoing.end(`stockproof could not reach ${target}: ${(error as Error).message}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** What the server answered to the exchange with this id (once). */
    take(id: string): ReceivedResponse | undefined {
      const answer = seen.get(id);
      seen.delete(id);
      return answer;
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await agent.close();
    },
  };
}
