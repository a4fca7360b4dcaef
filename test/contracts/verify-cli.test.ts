import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pactFiles, statesInPacts } from "../../src/verify/contract/pact-verify.js";
import { createStateHandlers } from "../../src/verify/contract/state-handlers.js";
import { runBuiltCli } from "../helpers/built-cli.js";
import { cli } from "../helpers/cli.js";
import { adminKey, buyer, type RunningReference, startReference } from "../helpers/reference.js";

/**
 * A provider's own state endpoint, as a dev server team would add it: POST {state, params, action};
 * "setup" sets the state and answers the values it provides, "teardown" resets the data.
 */
async function startStateEndpoint(providerBaseUrl: string): Promise<{ server: Server; calls: string[] }> {
  const names = statesInPacts(pactFiles()).map((s) => s.name);
  const states = createStateHandlers(
    {
      providerBaseUrl,
      adminKey,
      passwords: { [buyer.username]: buyer.password },
      client: { id: "clientapp", secret: "secret" },
      tokenSigning: { secret: "stockproof-development-signing-secret", audience: "stockproof-api" },
    },
    names,
  );
  const calls: string[] = [];
  // The fixed paymentOrderIds of the order states need clean data: start from it, and return to it after each interaction.
  await states.beforeEach();
  const server = createServer((request, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on("end", async () => {
      const { state, params, action } = JSON.parse(text) as {
        state: string;
        params: Record<string, unknown>;
        action: string;
      };
      calls.push(`${action} ${state}`);
      try {
        const values = action === "setup" ? await states.handlers[state]?.(params) : await states.beforeEach();
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(values ?? {}));
      } catch (error) {
        response.writeHead(500, { "content-type": "text/plain" });
        response.end(String(error));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve({ server, calls })));
}

describe("stockproof verify", () => {
  let reference: RunningReference;
  beforeAll(async () => {
    reference = await startReference();
  });
  afterAll(async () => reference?.close());

  it("verifies the pacts against a server with the test-control API (--admin-key)", async () => {
    const result = await runBuiltCli(["verify", "--provider-base-url", reference.url, "--admin-key", adminKey]);
    const pact = JSON.parse(readFileSync(pactFiles()[0] as string, "utf8")) as { interactions: unknown[] };
    const count = pact.interactions.length;
    expect(result.stdout).toContain(`✓ ${count} interactions verified`);
    expect(result.code).toBe(0);
  });

  it("verifies through the server's own state endpoint (--provider-states-setup-url)", async () => {
    const endpoint = await startStateEndpoint(reference.url);
    try {
      const { port } = endpoint.server.address() as AddressInfo;
      const result = await runBuiltCli([
        "verify",
        "--provider-base-url",
        reference.url,
        "--provider-states-setup-url",
        `http://127.0.0.1:${port}/pact-states`,
      ]);
      expect(result.stdout).toMatch(/✓ \d+ interactions verified/);
      expect(result.code).toBe(0);
      expect(endpoint.calls).toContain("setup SKU 311191 has 1 unit");
    } finally {
      await new Promise((resolve) => endpoint.server.close(resolve));
    }
  });

  // The refusals below come before any verifying: run in this process, they need no CLI started.
  it("says what to do when the server has neither a state endpoint nor the test-control API", async () => {
    const result = await cli(["verify", "--provider-base-url", reference.url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--provider-states-setup-url");
    expect(result.stderr).toContain("--admin-key");
    for (const state of statesInPacts(pactFiles())) expect(result.stderr).toContain(`• ${state.name}`);
    expect(result.stderr).toContain('answer: {"accessToken": "…"}');
  });

  it("fails, naming the interaction, when the server breaks the contract", async () => {
    // At most one unit per line: asking for two answers 400 INVALID_COUNT where the contract says 409 OUT_OF_STOCK.
    const strict = await startReference({ rules: { maxCount: 1 } });
    try {
      const result = await runBuiltCli(["verify", "--provider-base-url", strict.url, "--admin-key", adminKey]);
      expect(result.stdout).toMatch(/✗ 1 of \d+ interactions failed: a reservation of two units when one is left/);
      expect(result.code).toBe(1);
    } finally {
      await strict.close();
    }
  });

  it("a target without the test-control API cannot have its states set: exit 3 before verifying, with the fix", async () => {
    const locked = await startReference({ adminKey: null });
    try {
      const result = await cli(["verify", "--provider-base-url", locked.url, "--admin-key", adminKey]);
      expect(result.stderr).toMatch(
        /^NOT JUDGED: the target has no test-control API \(GET \/__admin\/snapshot answered 404/,
      );
      expect(result.stderr).toContain("--provider-states-setup-url");
      expect(result.code).toBe(3);
    } finally {
      await locked.close();
    }
  });
});
