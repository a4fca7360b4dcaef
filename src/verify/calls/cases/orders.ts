/**
 * @module
 * Catalogue calls of pay and cancel: each order state, repeats, other users' orders and bad ids.
 */

import type { CallCase, Expected, Given, Need } from "../case.js";
import { call } from "../case.js";
import { forged } from "../forged-tokens.js";
import { cancelRequest, payRequest } from "../requests.js";
import { bareChallenge, invalidTokenChallenge, problem, scopeChallenge } from "./reserve.js";

type OrderOperation = "payOrder" | "cancelOrder";
const requestOf = (operationId: OrderOperation) => (operationId === "payOrder" ? payRequest : cancelRequest);

interface OrderInput {
  readonly says: string;
  readonly needs?: readonly Need[];
  readonly valid?: boolean;
  readonly depth?: CallCase["depth"];
  readonly expect: Expected;
  /** Which token and which order: the buyer's token and the given order unless said. */
  readonly token?: (g: Given) => string | null | Promise<string>;
  readonly id: (g: Given) => string;
}

const orderCall = (operationId: OrderOperation, input: OrderInput): CallCase => {
  const { token = (g: Given) => g.token, id, ...rest } = input;
  return call({
    operationId,
    needs: ["buyer"],
    ...rest,
    request: async (g) => requestOf(operationId)(await token(g), id(g)),
  });
};

const given = (g: Given) => g.order;
const fresh = (g: Given) => g.id;

/** Pays the order the call is given (reserved). */
export const pay = orderCall("payOrder", {
  says: "pay",
  needs: ["buyer", "reserved"],
  expect: { status: 200 },
  id: given,
});
/** Cancels the order the call is given (reserved): its stock comes back. */
export const cancel = orderCall("cancelOrder", {
  says: "cancel",
  needs: ["buyer", "reserved"],
  expect: { status: 200 },
  id: given,
});

/** The refusals pay and cancel share: ids, tokens, scope, ownership, the store. */
function shared(operationId: OrderOperation): CallCase[] {
  const at = (input: OrderInput) => orderCall(operationId, input);
  const notFound = problem(404, "ORDER_NOT_FOUND");
  const badId = problem(400, "INVALID_PARAMETER");
  return [
    at({ says: "an unknown order", expect: notFound, id: fresh }),
    at({ says: "paymentOrderId with a space", valid: false, expect: badId, id: () => "bad id" }),
    at({
      says: "no token",
      needs: [],
      valid: false,
      expect: problem(401, "INVALID_TOKEN", bareChallenge),
      token: () => null,
      id: fresh,
    }),
    at({
      says: "malformed token",
      needs: [],
      expect: problem(401, "INVALID_TOKEN", invalidTokenChallenge),
      token: () => "not.a.jwt",
      id: fresh,
    }),
    at({
      says: "read-only token",
      needs: ["readOnly", "reserved"],
      expect: problem(403, "INSUFFICIENT_SCOPE", scopeChallenge),
      token: (g) => g.readToken,
      id: given,
    }),
    at({
      says: "another user's order",
      needs: ["other", "reserved"],
      expect: notFound,
      token: (g) => g.otherToken,
      id: given,
    }),
    at({ says: "a paymentOrderId with a star", depth: "edge", valid: false, expect: badId, id: () => "bad*id" }),
    at({ says: "a 65-character paymentOrderId", depth: "edge", valid: false, expect: badId, id: () => "p".repeat(65) }),
    at({
      says: "a request target over the limit",
      depth: "edge",
      valid: false,
      expect: problem(414, "URI_TOO_LONG"),
      id: () => "p".repeat(33_000),
    }),
    at({
      says: "a token signed with another key",
      needs: ["tokenSigning", "reserved"],
      depth: "edge",
      expect: problem(401, "INVALID_TOKEN", invalidTokenChallenge),
      token: (g) => forged.otherKey(g.signing),
      id: given,
    }),
    at({
      says: "a refresh token used as an access token",
      needs: ["refreshToken"],
      depth: "edge",
      expect: problem(401, "INVALID_TOKEN", invalidTokenChallenge),
      token: (g) => g.refreshToken,
      id: fresh,
    }),
    at({
      says: "an access token past its lifetime",
      needs: ["lapsed"],
      depth: "edge",
      expect: problem(401, "INVALID_TOKEN", invalidTokenChallenge),
      id: fresh,
    }),
    at({
      says: "the store busy with another writer",
      needs: ["buyer", "storeBusy"],
      depth: "edge",
      expect: problem(503, "STORE_BUSY"),
      id: fresh,
    }),
  ];
}

export const payCases: readonly CallCase[] = [
  pay,
  orderCall("payOrder", { says: "pay again", needs: ["buyer", "paid"], expect: { status: 200 }, id: given }),
  orderCall("payOrder", {
    says: "pay a cancelled order",
    needs: ["buyer", "cancelled"],
    expect: problem(409, "ORDER_CANCELLED"),
    id: given,
  }),
  orderCall("payOrder", {
    says: "pay an order whose hold expired",
    needs: ["buyer", "expired"],
    depth: "edge",
    expect: problem(409, "ORDER_EXPIRED"),
    id: given,
  }),
  ...shared("payOrder"),
];

export const cancelCases: readonly CallCase[] = [
  cancel,
  orderCall("cancelOrder", { says: "cancel again", needs: ["buyer", "cancelled"], expect: { status: 200 }, id: given }),
  orderCall("cancelOrder", {
    says: "cancel a paid order",
    needs: ["buyer", "paid"],
    expect: problem(409, "ORDER_PAID"),
    id: given,
  }),
  orderCall("cancelOrder", {
    says: "cancel an order whose hold expired",
    needs: ["buyer", "expired"],
    depth: "edge",
    expect: { status: 200 },
    id: given,
  }),
  ...shared("cancelOrder"),
];
