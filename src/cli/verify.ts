import { defineCommand } from "citty";
import { pactFiles, statesInPacts, verifyPacts } from "../contract/pact-verify.js";
import { stateAdvice } from "../contract/state-advice.js";

const demoPasswords = { "buyer@example.com": "buyer-password", "other@example.com": "other-password" };

function pairs(name: string, text: string): [string, string][] {
  return text.split(",").map((pair) => {
    const at = pair.indexOf(":");
    if (at < 1) throw new Error(`--${name} takes NAME:SECRET pairs separated by commas (got ${pair}).`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
}

interface InteractionResult {
  readonly description: string;
  readonly result: string;
}

function summary(output: string): string | null {
  try {
    const results = (JSON.parse(output) as { interactionResults?: InteractionResult[] }).interactionResults ?? [];
    const failed = results.filter((r) => r.result !== "OK");
    if (failed.length === 0) return `✓ ${results.length} interactions verified`;
    return `✗ ${failed.length} of ${results.length} interactions failed: ${failed.map((r) => r.description).join("; ")}`;
  } catch {
    return null;
  }
}

export const verifyCommand = defineCommand({
  meta: {
    name: "verify",
    description: "Verify the checked-in Pact contracts (checkout-web → stockproof-api) against a running server.",
  },
  args: {
    "provider-base-url": { type: "string", required: true, description: "Base URL of the server to verify" },
    "provider-states-setup-url": {
      type: "string",
      description: 'The server\'s own state endpoint (POST {"state", "params", "action"})',
    },
    "admin-key": {
      type: "string",
      description: "X-Admin-Key of the server's test-control API; stockproof then sets the states itself",
    },
    user: {
      type: "string",
      description: "USERNAME:PASSWORD pairs (comma-separated) of the users the states log in as [the demo users]",
    },
    client: { type: "string", description: "OAuth CLIENT_ID:SECRET the states log in with [clientapp:secret]" },
    "token-secret": {
      type: "string",
      description: "HS256 secret to sign the expired token with [the reference's development secret]",
    },
    audience: { type: "string", description: "aud claim of that token [stockproof-api]" },
    pact: { type: "string", description: "Pact file(s) to verify, comma-separated [contracts/pacts/*.json]" },
  },
  async run({ args }) {
    const files = args.pact === undefined ? pactFiles() : args.pact.split(",");
    const providerBaseUrl = args["provider-base-url"];
    const setupUrl = args["provider-states-setup-url"];
    const adminKey = args["admin-key"];
    if (setupUrl === undefined && adminKey === undefined) {
      process.stderr.write(`${stateAdvice(providerBaseUrl, statesInPacts(files))}\n`);
      process.exitCode = 2;
      return;
    }
    const [client] = args.client === undefined ? [["clientapp", "secret"] as const] : pairs("client", args.client);
    const started = Date.now();
    const result = await verifyPacts({
      providerBaseUrl,
      files,
      states:
        setupUrl !== undefined
          ? { kind: "setup-url", url: setupUrl }
          : {
              kind: "handlers",
              options: {
                providerBaseUrl,
                adminKey: adminKey ?? null,
                passwords: args.user === undefined ? demoPasswords : Object.fromEntries(pairs("user", args.user)),
                client: { id: client?.[0] ?? "clientapp", secret: client?.[1] ?? "secret" },
                tokenSigning: {
                  secret: args["token-secret"] ?? "stockproof-development-signing-secret",
                  audience: args.audience ?? "stockproof-api",
                },
              },
            },
    });
    for (const error of result.stateErrors) process.stderr.write(`state set-up failed — ${error}\n`);
    const line = summary(result.output) ?? result.output;
    process.stdout.write(`${line} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    if (!result.ok) process.exitCode = 1;
  },
});
