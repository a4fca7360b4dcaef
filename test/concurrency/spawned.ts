import { join } from "node:path";
import { ensureBuilt } from "../helpers/built-cli.js";
import { spawnReference, tempDir } from "../helpers/reference.js";
import type { ConcurrencyTarget } from "./suite.js";

/**
 * `stockproof serve` as its own process tree on a fresh SQLite file. Bursts run against a separate
 * process so the test's own client work does not share the server's event loop.
 */
export async function spawnServe(extraArgs: readonly string[]): Promise<ConcurrencyTarget> {
  ensureBuilt();
  const temp = tempDir("stockproof-concurrency-");
  const server = await spawnReference(["--db", join(temp.dir, "shared.db"), ...extraArgs]);
  return {
    url: server.url,
    async close() {
      const code = await server.stop("SIGTERM");
      temp.remove();
      return code;
    },
  };
}
