/**
 * @module
 * Catalogue calls of fault rules, forced answers and the request journal.
 */

import { type CallCase, call, type Given, type Need, type OperationId, type SentRequest } from "../case.js";
import {
  clearFaultsRequest,
  listRequestsRequest,
  payRequest,
  reserveLines,
  setFaultsRequest,
  tokenRequest,
} from "../requests.js";
import { oneUnit, problem } from "./reserve.js";

/**
 * The test-control features beside the stock: `Prefer` on the public operations, the fault rules
 * and the request journal. Only a server with the test-control API (and its key) has them.
 */
interface Input {
  readonly says: string;
  readonly needs?: readonly Need[];
  readonly valid?: boolean;
  readonly depth?: CallCase["depth"];
  readonly expect: CallCase["expect"];
  readonly request: (g: Given) => SentRequest;
}
const control = (operationId: OperationId, input: Input): CallCase =>
  call({ operationId, ...input, needs: ["admin", ...(input.needs ?? [])] });

const wrongKey = (g: Given) => `${g.settings.adminKey}-wrong`;
const keyRequired = problem(401, "ADMIN_KEY_REQUIRED");
const disabled = problem(404, "NOT_FOUND");
const prefer = (value: string) => ({ prefer: value });
const withHeaders = (request: SentRequest, headers: Record<string, string>): SentRequest => ({
  ...request,
  headers: { ...request.headers, ...headers },
});
const reserveOne = (g: Given) => reserveLines(g.token, g.id, oneUnit(g));
const busyRule = { operationId: "reserveStock", status: 503, times: 1 };
const badRules = (says: string, rules: (g: Given) => string | readonly unknown[]) =>
  control("setFaults", {
    says,
    valid: false,
    depth: "edge",
    expect: problem(400, "INVALID_PARAMETER"),
    request: (g) => setFaultsRequest(g.adminKey, rules(g)),
  });

export const testControlCases: readonly CallCase[] = [
  // Prefer: a declared answer instead of the operation, no state change (the matrix checks the snapshot).
  control("reserveStock", {
    says: "Prefer: code=503",
    needs: ["buyer"],
    expect: problem(503, "STORE_BUSY", {
      "retry-after": /^[0-9]+$/,
      "preference-applied": /^code=503, example=STORE_BUSY$/,
    }),
    request: (g) => withHeaders(reserveOne(g), prefer("code=503")),
  }),
  control("reserveStock", {
    says: "Prefer: code=409 (the first declared code)",
    needs: ["buyer"],
    depth: "edge",
    expect: problem(409, "OUT_OF_STOCK", { "preference-applied": /^code=409, example=OUT_OF_STOCK$/ }),
    request: (g) => withHeaders(reserveOne(g), prefer("code=409")),
  }),
  control("reserveStock", {
    says: "Prefer: code=409, example=DUPLICATE_PAYMENT_ORDER",
    needs: ["buyer"],
    depth: "edge",
    expect: problem(409, "DUPLICATE_PAYMENT_ORDER", { "preference-applied": /example=DUPLICATE_PAYMENT_ORDER/ }),
    request: (g) => withHeaders(reserveOne(g), prefer("code=409, example=DUPLICATE_PAYMENT_ORDER")),
  }),
  control("payOrder", {
    says: "Prefer: code=401 (the RFC 6750 challenge)",
    needs: ["buyer", "reserved"],
    depth: "edge",
    expect: problem(401, "INVALID_TOKEN", { "www-authenticate": /^Bearer realm="stockproof", error="invalid_token"/ }),
    request: (g) => withHeaders(payRequest(g.token, g.order), prefer("code=401")),
  }),
  control("payOrder", {
    says: "Prefer: example=ORDER_EXPIRED (the status that declares it)",
    needs: ["buyer", "reserved"],
    depth: "edge",
    expect: problem(409, "ORDER_EXPIRED", { "preference-applied": /^code=409, example=ORDER_EXPIRED$/ }),
    request: (g) => withHeaders(payRequest(g.token, g.order), prefer("example=ORDER_EXPIRED")),
  }),
  control("reserveStock", {
    says: "Prefer: a status the operation does not declare",
    needs: ["buyer"],
    valid: false,
    expect: problem(400, "INVALID_PARAMETER"),
    request: (g) => withHeaders(reserveOne(g), prefer("code=418")),
  }),
  control("createToken", {
    says: "Prefer: code=401",
    depth: "edge",
    expect: {
      status: 401,
      code: "invalid_client",
      headers: { "www-authenticate": /^Basic realm=/, "cache-control": /^no-store$/ },
    },
    request: (g) =>
      tokenRequest(
        { grant_type: "password", username: g.settings.buyer.username, password: g.settings.buyer.password },
        prefer("code=401"),
      ),
  }),
  control("reserveStock", {
    says: "Prefer ignored: the test-control API off",
    needs: ["buyer", "adminOff"],
    depth: "edge",
    expect: { status: 200 },
    request: (g) => withHeaders(reserveOne(g), prefer("code=503")),
  }),

  // The fault rules.
  control("setFaults", {
    says: "a 503 on the next reservation",
    expect: { status: 200 },
    request: (g) => setFaultsRequest(g.adminKey, [busyRule]),
  }),
  control("setFaults", {
    says: "wrong admin key",
    expect: keyRequired,
    request: (g) => setFaultsRequest(wrongKey(g), [busyRule]),
  }),
  control("setFaults", {
    says: "not JSON",
    valid: false,
    expect: problem(415, "UNSUPPORTED_MEDIA_TYPE"),
    request: (g) => setFaultsRequest(g.adminKey, JSON.stringify({ rules: [busyRule] }), "text/plain"),
  }),
  control("setFaults", {
    says: "a body over 64 KiB",
    valid: false,
    depth: "edge",
    expect: problem(413, "PAYLOAD_TOO_LARGE"),
    request: (g) => setFaultsRequest(g.adminKey, JSON.stringify({ rules: [busyRule], pad: "n".repeat(70_000) })),
  }),
  control("setFaults", {
    says: "test-control API off",
    needs: ["adminOff"],
    depth: "edge",
    expect: disabled,
    request: (g) => setFaultsRequest(g.adminKey, [busyRule]),
  }),
  badRules("an unknown operation", () => [{ operationId: "shipOrder", status: 503 }]),
  badRules("a status the operation does not declare", () => [{ operationId: "reserveStock", status: 404 }]),
  badRules("a code the operation does not declare", () => [{ operationId: "payOrder", code: "OUT_OF_STOCK" }]),
  badRules("a delay above the bound", () => [{ operationId: "reserveStock", delayMs: 600_000 }]),
  badRules("a rule that would match nothing", () => [
    { operationId: "createToken", paymentOrderId: "P_1", delayMs: 10 },
  ]),
  badRules("a rule that does nothing", () => [{ operationId: "reserveStock", times: 2 }]),
  badRules("a cut connection with a status", () => [{ operationId: "payOrder", status: 503, transport: "emptyReply" }]),
  badRules("a body that is not JSON", () => '{"rules":['),
  control("clearFaults", { says: "clear", expect: { status: 200 }, request: (g) => clearFaultsRequest(g.adminKey) }),
  control("clearFaults", {
    says: "wrong admin key",
    expect: keyRequired,
    request: (g) => clearFaultsRequest(wrongKey(g)),
  }),
  control("clearFaults", {
    says: "test-control API off",
    needs: ["adminOff"],
    depth: "edge",
    expect: disabled,
    request: (g) => clearFaultsRequest(g.adminKey),
  }),

  // The request journal.
  control("listRequests", {
    says: "journal",
    expect: { status: 200 },
    request: (g) => listRequestsRequest(g.adminKey),
  }),
  control("listRequests", {
    says: "journal since an instant",
    depth: "edge",
    expect: { status: 200 },
    request: (g) => listRequestsRequest(g.adminKey, "2021-06-21T11:21:51.000Z"),
  }),
  control("listRequests", {
    says: "since that is not a date-time",
    valid: false,
    expect: problem(400, "INVALID_PARAMETER"),
    request: (g) => listRequestsRequest(g.adminKey, "yesterday"),
  }),
  control("listRequests", {
    says: "wrong admin key",
    expect: keyRequired,
    request: (g) => listRequestsRequest(wrongKey(g)),
  }),
  control("listRequests", {
    says: "test-control API off",
    needs: ["adminOff"],
    depth: "edge",
    expect: disabled,
    request: (g) => listRequestsRequest(g.adminKey),
  }),
];
