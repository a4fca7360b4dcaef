// An app's own client and the mock both given a path ("/api"), as a Vite app has them, in a vitest
// DOM environment: the client resolves the path against the page's location, which jsdom's (Node's)
// Request does not do by itself. Each environment's test file calls this.
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createMockBackend, demoCredentials } from "../../src/backend/msw/index.js";
import { createStockproofClient } from "../../src/verify/client/index.js";

export function relativeBaseUrl(): void {
  const backend = createMockBackend({ baseUrl: "/api" });
  const server = setupServer(...backend.handlers);
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => backend.reset());
  afterAll(() => server.close());

  it('a client with baseUrl "/api" reaches a mock with baseUrl "/api" on the page\'s origin', async () => {
    const client = createStockproofClient({ baseUrl: "/api", ...demoCredentials });
    expect((await client.login("buyer@example.com", "buyer-password")).response.url).toBe(
      `${location.origin}/api/oauth/token`,
    );
    const { data, error } = await client.reserve([{ productStockId: 311191, orderCount: 1 }]);
    expect(error).toBeUndefined();
    expect(data?.status).toBe("RESERVED");
    expect((await client.snapshot()).data?.orders).toHaveLength(1);
  });
}
