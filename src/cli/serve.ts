/**
 * @module
 * `stockproof serve`: runs the reference server on its SQLite file, seeded with the demo catalog and users.
 */

import { startReference } from "../backend/server/start.js";
import { serveOptions, serveSettingsFrom } from "../base/config/serve-settings.js";
import { defineCliCommand } from "./command.js";

export const serveCommand = defineCliCommand({
  name: "serve",
  description: "Run the reference server on its embedded SQLite, seeded with the demo catalog and users.",
  options: serveOptions,
  examples: [
    "stockproof serve --fresh",
    "stockproof serve --port 9090 --db :memory: --hold-ttl 15m",
    "STOCKPROOF_ADMIN_KEY=$(openssl rand -hex 16) stockproof serve --host 0.0.0.0 --workers 2",
  ],
  exitCodes:
    "0 stopped by a signal · 1 a start that cannot happen (port taken; database file in use, read-only, on a full disk, corrupt or another application's) · 2 bad option or file (nothing started)",
  // A bad value is a UsageError (exit 2) and a start that cannot happen a StartRefused (exit 1):
  // both one line, nothing changed; src/cli/exit-codes.ts maps them.
  async run(options) {
    await startReference(serveSettingsFrom(options));
    return 0;
  },
});
