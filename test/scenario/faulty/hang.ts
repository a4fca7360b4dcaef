import { startToyServer, type ToyServer } from "./toy-server.js";

/** Never answers a reservation, like a transaction stuck in a deadlock. */
export const startHangingServer = (): Promise<ToyServer> => startToyServer({ hangOnReserve: true });
