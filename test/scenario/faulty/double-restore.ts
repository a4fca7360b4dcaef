import { startToyServer, type ToyServer } from "./toy-server.js";

/** Restores twice on concurrent cancels: it checks RESERVED, awaits, then restores — both cancels pass the check. */
export const startDoubleRestoringServer = (): Promise<ToyServer> => startToyServer({ checkThenRestore: true });
