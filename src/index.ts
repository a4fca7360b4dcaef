/**
 * `stockproof`: the reference server as a library. `createReference` wires the SQLite (or memory)
 * store to the Hono app; `listen` serves it on Node's http. The CLI is `npx stockproof`.
 * For frontends see `stockproof/msw` (MSW handlers) and `stockproof/client` (a typed client);
 * `stockproof/types` has the types generated from the OpenAPI spec.
 */
export type { AccountInput, OAuthClient } from "./backend/auth/accounts.js";
export { demoClient, demoUsers } from "./backend/auth/accounts.js";
export { loadCatalog } from "./backend/catalog/catalog.js";
export { spec } from "./backend/generated/spec.js";
export { createReference, defaultAdminKey, type Reference, type ReferenceOptions } from "./backend/reference.js";
export { type Listening, type ListenOptions, listen } from "./backend/server/listen.js";
