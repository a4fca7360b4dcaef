/**
 * @module
 * Catalogue calls of the test-control API's stock, snapshot and reset operations, allowed and refused.
 */

import { type CallCase, call, type Given, type Need, type OperationId, type SentRequest } from "../case.js";
import { resetRequest, setStockRequest, snapshotRequest } from "../requests.js";
import { problem } from "./reserve.js";

interface AdminInput {
  readonly says: string;
  readonly needs?: readonly Need[];
  readonly valid?: boolean;
  readonly depth?: CallCase["depth"];
  readonly expect: CallCase["expect"];
  readonly request: (g: Given) => SentRequest;
}

/** A call of the test-control API, which only a server that has it (and its key) can answer. */
const admin = (operationId: OperationId, input: AdminInput): CallCase =>
  call({ operationId, ...input, needs: ["admin", ...(input.needs ?? [])] });

/** Units of the settings' SKU, as a stock body. */
const units = (g: Given, quantity: number) => [{ productStockId: g.settings.sku.productStockId, quantity }];
const wrongKey = (g: Given) => `${g.settings.adminKey}-wrong`;
const keyRequired = problem(401, "ADMIN_KEY_REQUIRED");
const disabled = problem(404, "NOT_FOUND");
const busy = problem(503, "STORE_BUSY");
const badBody = (says: string, body: (g: Given) => string) =>
  admin("setStock", {
    says,
    valid: false,
    depth: "edge",
    expect: problem(400, "INVALID_PARAMETER"),
    request: (g) => setStockRequest(g.adminKey, body(g)),
  });

/** Sets the settings' SKU to 50 units. */
export const setStock = admin("setStock", {
  says: "set stock",
  expect: { status: 200 },
  request: (g) => setStockRequest(g.adminKey, units(g, 50)),
});
export const snapshot = admin("getSnapshot", {
  says: "snapshot",
  expect: { status: 200 },
  request: (g) => snapshotRequest(g.adminKey),
});
export const reset = admin("resetStore", {
  says: "reset",
  expect: { status: 200 },
  request: (g) => resetRequest(g.adminKey),
});

export const adminCases: readonly CallCase[] = [
  reset,
  setStock,
  snapshot,
  admin("getSnapshot", { says: "wrong admin key", expect: keyRequired, request: (g) => snapshotRequest(wrongKey(g)) }),
  admin("getSnapshot", {
    says: "missing admin key",
    valid: false,
    expect: keyRequired,
    request: () => snapshotRequest(null),
  }),
  admin("setStock", {
    says: "wrong admin key",
    expect: keyRequired,
    request: (g) => setStockRequest(wrongKey(g), units(g, 1)),
  }),
  admin("resetStore", { says: "wrong admin key", expect: keyRequired, request: (g) => resetRequest(wrongKey(g)) }),
  admin("setStock", {
    says: "negative quantity",
    valid: false,
    expect: problem(400, "INVALID_PARAMETER"),
    request: (g) => setStockRequest(g.adminKey, units(g, -1)),
  }),
  admin("setStock", {
    says: "not JSON",
    valid: false,
    expect: problem(415, "UNSUPPORTED_MEDIA_TYPE"),
    request: (g) => setStockRequest(g.adminKey, JSON.stringify({ items: units(g, 1) }), "text/plain"),
  }),
  admin("setStock", {
    says: "a new SKU",
    depth: "edge",
    expect: { status: 200 },
    request: (g) => setStockRequest(g.adminKey, [{ productStockId: 4242, quantity: 5 }]),
  }),
  admin("setStock", {
    says: "a new SKU with another SKU's productId, color and size",
    needs: ["demoCatalog"],
    expect: problem(409, "SKU_CONFLICT"),
    request: (g) =>
      setStockRequest(
        g.adminKey,
        JSON.stringify({
          items: [
            { productStockId: 4243, quantity: 1, productId: 219622, productName: "twin", color: "BLACK", size: "L" },
          ],
        }),
      ),
  }),
  badBody("a body that is not JSON", () => '{"items":['),
  badBody("no items", () => '{"items":[]}'),
  badBody("a negative quantity after a valid item", (g) =>
    JSON.stringify({ items: [{ productStockId: 800001, quantity: 5 }, ...units(g, -1)] }),
  ),
  badBody("a fractional quantity", (g) => JSON.stringify({ items: units(g, 1.5) })),
  badBody("an unknown field", (g) => JSON.stringify({ items: [{ ...units(g, 1)[0], held: 3 }] })),
  admin("setStock", {
    says: "a form body",
    valid: false,
    depth: "edge",
    expect: problem(415, "UNSUPPORTED_MEDIA_TYPE"),
    request: (g) =>
      setStockRequest(
        g.adminKey,
        `productStockId=${g.settings.sku.productStockId}`,
        "application/x-www-form-urlencoded",
      ),
  }),
  admin("setStock", {
    says: "a body over 64 KiB",
    valid: false,
    depth: "edge",
    expect: problem(413, "PAYLOAD_TOO_LARGE"),
    request: (g) =>
      setStockRequest(g.adminKey, JSON.stringify({ items: [{ ...units(g, 1)[0], productName: "n".repeat(70_000) }] })),
  }),
  // A server with the test-control API off answers as if the routes did not exist.
  admin("setStock", {
    says: "test-control API off",
    needs: ["adminOff"],
    depth: "edge",
    expect: disabled,
    request: (g) => setStockRequest(g.adminKey, units(g, 1)),
  }),
  admin("getSnapshot", {
    says: "test-control API off",
    needs: ["adminOff"],
    depth: "edge",
    expect: disabled,
    request: (g) => snapshotRequest(g.adminKey),
  }),
  admin("resetStore", {
    says: "test-control API off",
    needs: ["adminOff"],
    depth: "edge",
    expect: disabled,
    request: (g) => resetRequest(g.adminKey),
  }),
  admin("setStock", {
    says: "the store busy with another writer",
    needs: ["storeBusy"],
    depth: "edge",
    expect: busy,
    request: (g) => setStockRequest(g.adminKey, units(g, 1)),
  }),
  admin("resetStore", {
    says: "the store busy with another writer",
    needs: ["storeBusy"],
    depth: "edge",
    expect: busy,
    request: (g) => resetRequest(g.adminKey),
  }),
];
