/**
 * `stockproof`: the reference server as a library. `createReference` wires the SQLite (or memory)
 * store to the Hono app; `listen` serves it on Node's http. The CLI is `npx stockproof`.
 * For frontends see `stockproof/msw` (MSW handlers) and `stockproof/client` (a typed client);
 * `stockproof/types` has the types generated from the OpenAPI spec.
 */
export type { AccountInput, OAuthClient } from "./auth/accounts.js";
export { demoClient, demoUsers } from "./auth/accounts.js";
export { loadCatalog } from "./config/catalog.js";
export { spec } from "./generated/spec.js";
export { createReference, defaultAdminKey, type Reference, type ReferenceOptions } from "./reference.js";
export { type Listening, type ListenOptions, listen } from "./server/listen.js";
