import { startToyServer, type ToyServer } from "./toy-server.js";

/** Oversells under concurrency: reserve reads the stock, awaits its database, then writes what it read minus the count. */
export const startOversellingServer = (): Promise<ToyServer> => startToyServer({ readThenWrite: true });
