// README's taste of the mock ("For frontend developers", the block naming src/sold-out.test.ts), run here
// as written: below its imports, this file is the block, and the last test checks that byte for byte.
// The imports point at the sources instead of the package (test/package/msw-matrix.test.ts runs the block
// itself against the packed stockproof-mock).
import { readFileSync } from "node:fs";
import { setupServer } from "msw/node";
import { beforeAll, expect, it } from "vitest";
import { createMockBackend, demoCredentials } from "../../src/backend/msw/index.js";
import { createStockproofClient } from "../../src/verify/client/index.js";
import { snippetFile } from "../helpers/readme-snippets.js";

const backend = createMockBackend({ baseUrl: "http://localhost:8080" });
beforeAll(() => setupServer(...backend.handlers).listen({ onUnhandledRequest: "error" }));

it("sells the last unit once", async () => {
  backend.setStock([{ productStockId: 311191, quantity: 1 }]);
  const client = createStockproofClient({ baseUrl: "http://localhost:8080", ...demoCredentials });
  await client.login("buyer@example.com", "buyer-password");
  expect((await client.reserve([{ productStockId: 311191, orderCount: 1 }])).data?.status).toBe("RESERVED");
  expect((await client.reserve([{ productStockId: 311191, orderCount: 1 }])).error?.code).toBe("OUT_OF_STOCK");
});

it("is README's block as written, its imports naming the package's entries", () => {
  const block = snippetFile(new URL("../../README.md", import.meta.url).pathname, "src/sold-out.test.ts");
  const imports = block.split("\n").filter((line) => line.startsWith("import "));
  expect(imports).toEqual([
    'import { setupServer } from "msw/node";',
    'import { beforeAll, expect, it } from "vitest";',
    'import { createStockproofClient } from "stockproof-mock/client";',
    'import { createMockBackend, demoCredentials } from "stockproof-mock/msw";',
  ]);
  const body = block
    .split("\n")
    .filter((line) => !line.startsWith("import ") && !line.startsWith("// "))
    .join("\n")
    .trim();
  expect(body.split("\n").length).toBeGreaterThan(5);
  expect(readFileSync(new URL(import.meta.url), "utf8")).toContain(body);
});
