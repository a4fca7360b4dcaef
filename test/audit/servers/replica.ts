import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A read replica of a shop's GET /dev/stock: it copies the primary every `refreshMs` and answers
 * its own GET /dev/stock with the last copy, as a team's stock query against a replica would.
 */
export interface Replica {
  readonly url: string;
  close(): Promise<void>;
}

export async function startReplica(primary: string, refreshMs: number): Promise<Replica> {
  let copy = "{}";
  const refresh = async () => {
    const response = await fetch(`${primary}/dev/stock`);
    if (response.ok) copy = await response.text();
  };
  await refresh();
  const timer = setInterval(() => void refresh().catch(() => {}), refreshMs);
  const server: Server = createServer((_, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(copy);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      clearInterval(timer);
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
