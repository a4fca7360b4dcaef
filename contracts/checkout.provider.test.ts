import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultAudience } from "../src/backend/reference.js";
import { pactFiles, statesInPacts, verifyPacts } from "../src/verify/contract/pact-verify.js";
import { templateOf } from "../src/verify/contract/provider-states.js";
import { adminKey, buyer, other, type RunningReference, startReference } from "../test/helpers/reference.js";

const tokenSecret = "provider-verification-secret";

describe("the checked-in pacts against the reference server", () => {
  let server: RunningReference;
  beforeAll(async () => {
    server = await startReference({ tokenSecret });
  });
  afterAll(async () => server?.close());

  it("has a handler for every provider state the pacts name", () => {
    const states = statesInPacts(pactFiles());
    expect(states.length).toBeGreaterThan(0);
    expect(states.filter((s) => templateOf(s.name) === undefined).map((s) => s.name)).toEqual([]);
  });

  it("verifies every interaction, states set through the test-control API and the public API", async () => {
    const result = await verifyPacts({
      providerBaseUrl: server.url,
      states: {
        kind: "handlers",
        options: {
          providerBaseUrl: server.url,
          adminKey,
          passwords: { [buyer.username]: buyer.password, [other.username]: other.password },
          client: { id: "clientapp", secret: "secret" },
          tokenSigning: { secret: tokenSecret, audience: defaultAudience },
        },
      },
    });
    expect(result.stateErrors).toEqual([]);
    expect(result.ok, result.output).toBe(true);
    // The verifier's own results: each interaction of the pact was run, and each passed.
    const pact = JSON.parse(readFileSync(pactFiles()[0] as string, "utf8")) as {
      interactions: { description: string }[];
    };
    const results = (JSON.parse(result.output) as { interactionResults: { description: string; result: string }[] })
      .interactionResults;
    expect(results.map((r) => r.description).sort()).toEqual(pact.interactions.map((i) => i.description).sort());
    expect(results.filter((r) => r.result !== "OK")).toEqual([]);
  });
});
