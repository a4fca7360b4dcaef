/** `stockproof-mock`: everything for frontends in one import — the MSW handlers, the typed client and the spec's types. */
export * from "../../../src/client/index.js";
export * from "../../../src/msw/index.js";
