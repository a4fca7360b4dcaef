import { startToyServer, type ToyServer } from "./toy-server.js";

/** Answers 500 when more than `limit` requests are in flight — a pool with no queue — but keeps stock correctly. */
export const startBusyServer = (limit: number): Promise<ToyServer> => startToyServer({ maxInFlight: limit });

/** The same server without the fault: what the checker must not flag. */
export const startCorrectToyServer = (): Promise<ToyServer> => startToyServer();
