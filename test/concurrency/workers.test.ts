import { join } from "node:path";
import { ensureBuilt } from "../helpers/built-cli.js";
import { spawnReference, tempDir } from "../helpers/reference.js";
import { describeConcurrency } from "./suite.js";

describeConcurrency("`stockproof serve --workers 2` on one SQLite file", async () => {
  ensureBuilt();
  const temp = tempDir("stockproof-workers-");
  const server = await spawnReference(["--workers", "2", "--db", join(temp.dir, "shared.db")]);
  return {
    url: server.url,
    async close() {
      const code = await server.stop("SIGTERM");
      temp.remove();
      return code;
    },
  };
});
