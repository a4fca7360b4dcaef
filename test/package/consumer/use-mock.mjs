// Runs inside a fresh project that installed stockproof-mock and msw: every entry imports and works.
import { setupServer } from "msw/node";
import * as everything from "stockproof-mock";
import { createStockproofClient, errorCode } from "stockproof-mock/client";
import { createMockBackend, demoCatalog, demoCredentials } from "stockproof-mock/msw";
import * as types from "stockproof-mock/types";

const base = "http://localhost:8080";
const backend = createMockBackend({ baseUrl: base });
const server = setupServer(...backend.handlers);
server.listen({ onUnhandledRequest: "error" });
const client = createStockproofClient({ baseUrl: base, ...demoCredentials });
const login = await client.login("buyer@example.com", "buyer-password");
const reserved = await client.reserve([{ productStockId: 311191, orderCount: 2 }]);
const refused = await client.reserve([{ productStockId: 999999, orderCount: 1 }]);
server.close();

console.log(
  JSON.stringify({
    rootEntry: typeof everything.createMockBackend === "function" && typeof everything.createStockproofClient,
    typesExports: Object.keys(types),
    login: login.response.status,
    reserved: reserved.data?.status,
    refused: refused.error && errorCode(refused.error),
    available: backend.snapshot().skus.find((s) => s.productStockId === 311191)?.available,
    demoStock: demoCatalog.products.find((p) => p.productStockId === 311191)?.stock,
  }),
);
