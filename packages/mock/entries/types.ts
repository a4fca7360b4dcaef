/** `stockproof-mock/types`: the types generated from the OpenAPI spec (no runtime code). */
export type * from "../../../src/backend/generated/openapi.js";
