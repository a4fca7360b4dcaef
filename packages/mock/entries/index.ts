/** `stockproof-mock`: everything for frontends in one import — the MSW handlers, the typed client and the spec's types. */

export * from "../../../src/backend/msw/index.js";
export * from "../../../src/verify/client/index.js";
