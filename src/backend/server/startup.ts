/**
 * @module
 * Start-up steps in their safe order: take the port first, then reset the file with --fresh only if unused.
 */

import { StartRefused } from "../../base/config/errors.js";
import type { ServeSettings } from "../../base/config/serve-settings.js";
import type { StockLevel } from "../domain/types.js";
import { resetAlone } from "../store/sqlite/reset-alone.js";
import type { FetchHandler } from "./gate.js";
import { connectionLimits, type Listening, listen } from "./listen.js";

export { StartRefused } from "../../base/config/errors.js";

export const isMemoryDb = (db: string) => db === ":memory:" || db === "memory";

function portProblem(error: Error & { code?: string }, settings: ServeSettings): string {
  const where = `${settings.host}:${settings.port}`;
  const untouched = `Nothing was started and ${settings.db} was not touched.`;
  switch (error.code) {
    case "EADDRINUSE":
      return `Port ${settings.port} on ${settings.host} is already in use (another server?): stop that process or choose another --port. ${untouched}`;
    case "EACCES":
      return `No permission to listen on ${where} (ports below 1024 need privileges): choose another --port. ${untouched}`;
    case "EADDRNOTAVAIL":
    case "ENOTFOUND":
      return `Cannot listen on ${where}: ${settings.host} is not an address of this machine; check --host. ${untouched}`;
    default:
      return `Cannot listen on ${where}: ${error.message}. ${untouched}`;
  }
}

/** Takes the port, or refuses with the reason. Start-up takes the port before anything touches the database. */
export async function ownPort(fetch: FetchHandler, settings: ServeSettings): Promise<Listening> {
  try {
    return await listen(fetch, {
      port: settings.port,
      host: settings.host,
      limits: connectionLimits(settings.maxConnections),
    });
  } catch (error) {
    throw new StartRefused(portProblem(error as Error & { code?: string }, settings));
  }
}

/**
 * The one start-up step that may destroy data: `--fresh` resets the file to the catalog — only
 * once the port is owned (a start that fails to listen must not wipe a running server's orders),
 * and only when no other process has the file open (resetting under a live server would lose
 * orders it has acknowledged). An in-memory store starts empty and is seeded when opened.
 */
export function resetIfFresh(settings: ServeSettings, catalog: readonly StockLevel[]): void {
  if (!settings.fresh || isMemoryDb(settings.db)) return;
  const reset = resetAlone(settings.db, catalog);
  if (!reset.ok) {
    throw new StartRefused(
      `--fresh refused: another process has ${settings.db} open (a running stockproof serve?). Stop it first, or choose another --db. ${settings.db} was not changed.`,
    );
  }
}
