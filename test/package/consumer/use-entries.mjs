// Runs inside a fresh project that installed the packed tarball: every entry imports and works.
import { setupServer } from "msw/node";
import { createReference, spec } from "stockproof";
import { createStockproofClient } from "stockproof/client";
import { createHandlers, createMockBackend, demoCatalog, demoCredentials } from "stockproof/msw";
import * as types from "stockproof/types";

const base = "http://127.0.0.1:1";
const results = { specTitle: spec.info.title, typesExports: Object.keys(types) };

// stockproof/msw + stockproof/client, in-process through the backend's fetch.
const backend = createMockBackend({ baseUrl: base });
const direct = createStockproofClient({ baseUrl: base, ...demoCredentials, fetch: backend.fetch });
await direct.login("buyer@example.com", "buyer-password");
const reserved = await direct.reserve([{ productStockId: 311191, orderCount: 2 }]);
results.reserved = reserved.data?.status ?? reserved.error;
results.available = backend.snapshot().skus.find((s) => s.productStockId === 311191)?.available;
results.demoStock = demoCatalog.products.find((p) => p.productStockId === 311191)?.stock;

// The handlers behind msw/node's interception of the global fetch.
const server = setupServer(...createHandlers({ baseUrl: base }));
server.listen({ onUnhandledRequest: "error" });
const intercepted = createStockproofClient({ baseUrl: base, ...demoCredentials });
results.mswLogin = (await intercepted.login("buyer@example.com", "buyer-password")).response.status;
server.close();

// stockproof: the reference app over the memory store (no native SQLite needed for this).
const reference = createReference({ db: "memory" });
const login = await reference.app.fetch(
  new Request(`${base}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=password&username=other%40example.com&password=other-password&client_id=clientapp&client_secret=secret",
  }),
);
results.referenceLogin = login.status;
reference.close();

console.log(JSON.stringify(results));
