/**
 * @module
 * The mock's demo OAuth client and admin key as client options, kept out of the client itself.
 */

import { defaultAdminKey, demoClient } from "../../base/config/defaults.js";

/**
 * The mock's demo OAuth client and test-control key, as the typed client's options. The client has no
 * built-in credentials, so these reach only code that imports them (the mocked app, its tests), never
 * a production bundle that uses the client alone.
 *
 * @example
 *   const client = createStockproofClient({ baseUrl: "http://localhost:8080", ...demoCredentials });
 */
export const demoCredentials = {
  clientId: demoClient.id,
  clientSecret: demoClient.secret,
  adminKey: defaultAdminKey,
} as const;
