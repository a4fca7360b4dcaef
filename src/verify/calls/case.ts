/**
 * @module
 * The shape of a catalogue call: the request, what it needs set up first and the reference's expected answer.
 */

import type { components, operations } from "../../backend/generated/openapi.js";
import type { CatalogueSettings } from "./settings.js";

export type OperationId = keyof operations;
export type Method = "GET" | "HEAD" | "POST" | "PUT" | "DELETE";

/** One HTTP request, independent of where it goes. */
export interface SentRequest {
  readonly method: Method;
  /** Path and query, e.g. `/orders/payment/choice?storeId=…`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

/** An answer as the suites read it: lower-case headers, the body parsed when it is JSON. */
export interface ReceivedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON when the body is JSON, the text otherwise, null when empty. */
  readonly body: unknown;
}

/** A problem's `code`, or an OAuth error's `error`, as the spec enumerates them. */
export type AnswerCode = components["schemas"]["ProblemCode"] | components["schemas"]["OAuthError"]["error"];

/** What the reference answers to a call. */
export interface Expected {
  readonly status: number;
  readonly code?: AnswerCode;
  /** Response headers beyond the spec's declared ones, by lower-case name. */
  readonly headers?: Readonly<Record<string, RegExp>>;
}

/**
 * What a call needs before it can be sent. State is set up through other calls of the catalogue
 * (`givens.ts`); the rest are facts about the server that a suite either has or has not.
 */
export type Need =
  /** The buyer's access token (scopes read write). */
  | "buyer"
  /** An access token of the buyer with scope read only. */
  | "readOnly"
  /** An access token of a second user. */
  | "other"
  /** A refresh token of the buyer from a login of its own (refresh tokens may be single-use). */
  | "refreshToken"
  /** The same, from a login with scope read only. */
  | "readRefreshToken"
  /** A refresh token of the buyer already used once by a refresh_token grant (refresh tokens are single-use). */
  | "spentRefreshToken"
  /** An order of the buyer in that state, under a fresh paymentOrderId. */
  | "reserved"
  | "paid"
  | "cancelled"
  /** An order of the buyer whose hold has expired, and an access token whose lifetime has passed: only a
   * suite that moves the server's clock can give these, as known values (`order`, `token`). */
  | "expired"
  | "lapsed"
  /** The test-control API's key. */
  | "admin"
  /** The secret the server signs tokens with, to forge tokens it must refuse. */
  | "tokenSigning"
  /** The demo catalog's SKUs and products (311191 as 219622 BLACK/L, 800001, 800002). */
  | "demoCatalog"
  /** A server started with its test-control API off. */
  | "adminOff"
  /** A server whose store is locked by another writer, so writes give up. */
  | "storeBusy"
  /** A server reached over the network, which checks a page's Host and Origin (not the MSW handlers: they run in the page). */
  | "pageChecks";

export type StateNeed = "reserved" | "paid" | "cancelled";

/** How a server's tokens are signed (HS256), for forged-token calls. */
export interface TokenSigning {
  readonly secret: string;
  readonly audience: string;
}

/** The values a call is built from; reading one the call did not declare in `needs` throws. */
export interface Given {
  readonly settings: CatalogueSettings;
  /** A paymentOrderId no other call of this run has used. */
  readonly id: string;
  readonly token: string;
  readonly readToken: string;
  readonly otherToken: string;
  readonly refreshToken: string;
  readonly readRefreshToken: string;
  readonly spentRefreshToken: string;
  /** The id of the order the call needs (reserved, paid, cancelled or expired). */
  readonly order: string;
  readonly adminKey: string;
  readonly signing: TokenSigning;
}

/** One call of the catalogue: the request, the state it needs, and what the reference answers. */
export interface CallCase {
  readonly operationId: OperationId;
  /** What the call exercises, e.g. "out of stock"; unique within its operation. */
  readonly says: string;
  readonly needs: readonly Need[];
  /** True when the request itself conforms to the spec (sent through `prism proxy --errors`). */
  readonly valid: boolean;
  /** "core": the operation's main paths, one call each; "edge": every further refusal of bad input. */
  readonly depth: "core" | "edge";
  readonly expect: Expected;
  request(given: Given): SentRequest | Promise<SentRequest>;
}

/** `operationId: says`, the name suites and reports give a call. */
export const caseName = (c: CallCase): string => `${c.operationId}: ${c.says}`;

type CaseInput = Omit<CallCase, "needs" | "valid" | "depth"> & Partial<Pick<CallCase, "needs" | "valid" | "depth">>;

/** A call with the usual defaults: no needs, a valid request, core depth. */
export function call(input: CaseInput): CallCase {
  return { needs: [], valid: true, depth: "core", ...input };
}

/** Whether a suite that can meet `available` can send the call. */
export function canSend(c: CallCase, available: ReadonlySet<Need>): boolean {
  return c.needs.every((need) => available.has(need));
}
