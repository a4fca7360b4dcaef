import { startToyServer, type ToyServer } from "./toy-server.js";

/** Refuses OUT_OF_STOCK while units remain: it silently keeps a safety stock of `units`. */
export const startSafetyStockServer = (units: number): Promise<ToyServer> => startToyServer({ safetyStock: units });
