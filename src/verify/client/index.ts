/** `stockproof/client`: a typed client for the stockproof API, built on openapi-fetch. */
import type { components } from "../../backend/generated/openapi.js";

export type { components, operations, paths } from "../../backend/generated/openapi.js";
export {
  type ErrorCode,
  errorCode,
  isOAuthError,
  isProblem,
  type OAuthError,
  type Problem,
  type UnexpectedResponse,
} from "./client-error.js";
export { cancelPath, pathTemplates, payPath, reservePath } from "./paths.js";
export {
  type LineItem,
  newPaymentOrderId,
  type ReserveOptions,
  type ReserveParameterFields,
  type ReserveQuery,
  reserveParameters,
  reserveQuery,
  stockLineData,
} from "./reserve-query.js";
export {
  type CallOptions,
  type ClientResult,
  createStockproofClient,
  type StockproofClient,
  type StockproofClientOptions,
} from "./stockproof-client.js";

/** An order as the API returns it. */
export type Order = components["schemas"]["Order"];
/** The test-control API's snapshot: stock per SKU with the invariant, and every order. */
export type Snapshot = components["schemas"]["Snapshot"];
/** A fault rule of the test-control API (PUT /__admin/faults, `backend.faults.set` in the MSW handlers). */
export type FaultRule = components["schemas"]["FaultRule"];
/** One request of the test-control API's journal (GET /__admin/requests, `backend.requests()`). */
export type JournalEntry = components["schemas"]["JournalEntry"];
