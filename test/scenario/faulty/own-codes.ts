import { startToyServer, type ToyServer } from "./toy-server.js";

/** Keeps stock correctly but answers in its own words: SOLD_OUT, 409 to a repeated cancel, 403 to another user's order. */
export const startOwnCodesServer = (): Promise<ToyServer> => startToyServer({ ownCodes: true });
