/**
 * @module
 * `stockproof verify`: verifies the checked-in Pact contracts against a running server.
 */

import {
  defaultAdminKey,
  defaultAudience,
  defaultTokenSecret,
  demoClient,
  demoUsers,
} from "../base/config/defaults.js";
import type { OptionTable } from "../base/config/options.js";
import {
  demoClientText,
  demoUsersText,
  parseClientOption,
  parseTargetOption,
  parseUsersOption,
  vocabulary,
} from "../base/config/vocabulary.js";
import { pactFiles, statesInPacts, verifyPacts } from "../verify/contract/pact-verify.js";
import { stateAdvice } from "../verify/contract/state-advice.js";
import { preflight } from "../verify/probe/preflight.js";
import { defineCliCommand } from "./command.js";

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

const verifyOptions = {
  target: { ...vocabulary.target, aliases: ["provider-base-url"] },
  "provider-states-setup-url": {
    type: "string",
    valueHint: "URL",
    description: 'The server\'s own state endpoint (POST {"state", "params", "action"})',
  },
  "admin-key": {
    ...vocabulary["admin-key"],
    description: "X-Admin-Key of the server's test-control API; stockproof then sets the states itself",
    defaultText: "none: a state endpoint is needed instead",
  },
  users: {
    ...vocabulary.users,
    aliases: ["user"],
    description: "USER:PASSWORD of the users the states log in as, comma-separated",
    defaultText: demoUsersText,
  },
  client: { ...vocabulary.client, description: "OAuth client the states log in with", defaultText: demoClientText },
  "token-secret": {
    type: "string",
    valueHint: "SECRET",
    description: "HS256 secret to sign the expired token with",
    defaultText:
      "the published development secret (a server signing with another, as serve does by default, refuses that token for its signature rather than its expiry: still 401)",
  },
  audience: { type: "string", valueHint: "AUD", description: "aud claim of that token", default: defaultAudience },
  pact: {
    type: "string",
    valueHint: "FILE,…",
    description: "Pact file(s) to verify, comma-separated",
    defaultText: "contracts/pacts/*.json",
  },
} as const satisfies OptionTable;

export const verifyCommand = defineCliCommand({
  name: "verify",
  description: "Verify the checked-in Pact contracts (checkout-web → stockproof-api) against a running server.",
  options: verifyOptions,
  examples: [
    `stockproof verify --target http://127.0.0.1:8080 --admin-key ${defaultAdminKey}`,
    "stockproof verify --target https://dev.example.com --provider-states-setup-url https://dev.example.com/_pact/states",
  ],
  exitCodes:
    "0 every interaction verified · 1 an interaction failed · 2 bad usage, or no way to set provider states · 3 could not judge",
  async run({ values, from }, io) {
    const files = values.pact === undefined ? pactFiles() : values.pact.split(",");
    const providerBaseUrl = parseTargetOption(from.target, values.target);
    const setupUrl = values["provider-states-setup-url"];
    const adminKey = values["admin-key"];
    if (setupUrl === undefined && adminKey === undefined) {
      io.err(stateAdvice(providerBaseUrl, statesInPacts(files)));
      return 2;
    }
    const client = values.client === undefined ? demoClient : parseClientOption(from.client, values.client);
    const passwords =
      values.users === undefined
        ? Object.fromEntries(demoUsers.map((u) => [u.username, u.password]))
        : Object.fromEntries(parseUsersOption(from.users, values.users).map((u) => [u.username, u.password]));
    // Before the verifier starts: the target answers, the users log in, the key is taken.
    await preflight({
      target: providerBaseUrl,
      client,
      users: Object.entries(passwords).map(([username, password]) => ({ username, password })),
      adminKey: setupUrl === undefined ? (adminKey ?? null) : null,
      adminRequired: setupUrl === undefined,
      missingAdminFix:
        "give the target stockproof's test-control API, or let it set the states itself with --provider-states-setup-url",
    });
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
                passwords,
                client: { id: client.id, secret: client.secret },
                tokenSigning: {
                  secret: values["token-secret"] ?? defaultTokenSecret,
                  audience: values.audience,
                },
              },
            },
    });
    for (const error of result.stateErrors) io.err(`state set-up failed — ${error}`);
    const line = summary(result.output) ?? result.output;
    io.out(`${line} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result.ok ? 0 : 1;
  },
});
