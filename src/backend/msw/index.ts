/** `stockproof/msw`: the reference API as MSW handlers, for browsers (setupWorker) and Node (setupServer). */
export type { AccountInput, OAuthClient } from "../auth/accounts.js";
export { demoClient, demoUsers } from "../auth/accounts.js";
export { demoCatalog } from "../generated/demo-catalog.js";
export { demoCredentials } from "./demo-credentials.js";
export { createHandlers, createMockBackend, type MockBackend, type MockBackendOptions } from "./mock-backend.js";
export type { StateStorage } from "./persisted-store.js";
export type { MockTestControl } from "./test-control.js";
