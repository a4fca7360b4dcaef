/**
 * @module
 * Verifies the checked-in consumer pacts against a running provider with the Pact verifier.
 */

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Verifier } from "@pact-foundation/pact";
import { keepPactOffline } from "./pact-offline.js";
import { createStateHandlers, type StateHandlerOptions } from "./state-handlers.js";

/** The checked-in consumer pacts (contracts/pacts/ beside src/ and dist/). */
export const pactDir = fileURLToPath(new URL("../../../contracts/pacts/", import.meta.url));

export function pactFiles(dir = pactDir): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f));
}

export interface PactStateUse {
  readonly name: string;
  readonly params: Record<string, unknown>;
  /** Descriptions of the interactions that need it. */
  readonly interactions: readonly string[];
}

/** Every provider state the pacts name, with the interactions that use it. */
export function statesInPacts(files: readonly string[]): PactStateUse[] {
  const found = new Map<string, { params: Record<string, unknown>; interactions: string[] }>();
  for (const file of files) {
    const pact = JSON.parse(readFileSync(file, "utf8")) as {
      interactions?: { description: string; providerStates?: { name: string; params?: Record<string, unknown> }[] }[];
    };
    for (const interaction of pact.interactions ?? []) {
      for (const state of interaction.providerStates ?? []) {
        const entry = found.get(state.name) ?? { params: state.params ?? {}, interactions: [] };
        entry.interactions.push(interaction.description);
        found.set(state.name, entry);
      }
    }
  }
  return [...found].map(([name, e]) => ({ name, ...e })).sort((a, b) => a.name.localeCompare(b.name));
}

export type StateSource =
  /** The provider's own endpoint: POST {state, params, action} before (and after) each interaction. */
  | { readonly kind: "setup-url"; readonly url: string }
  /** stockproof sets states up through the provider's public API and its test-control API. */
  | { readonly kind: "handlers"; readonly options: StateHandlerOptions };

export interface PactVerifyOptions {
  readonly providerBaseUrl: string;
  readonly states: StateSource;
  readonly files?: readonly string[];
  readonly logLevel?: "trace" | "debug" | "info" | "warn" | "error";
}

export interface PactVerification {
  readonly ok: boolean;
  /** The verifier's JSON results (or its error message). */
  readonly output: string;
  /** Provider states whose set-up failed (the interaction then fails too). */
  readonly stateErrors: readonly string[];
}

interface ProxiedRequest {
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/**
 * pact-js's verification proxy parses form bodies into an object and would forward them
 * re-serialised as JSON under the form's Content-Length; encode them back into the form they were.
 */
function keepFormBodies(req: ProxiedRequest, _res: unknown, next: () => void): void {
  const type = String(req.headers["content-type"] ?? "");
  if (
    type.startsWith("application/x-www-form-urlencoded") &&
    req.body !== null &&
    typeof req.body === "object" &&
    !Buffer.isBuffer(req.body)
  ) {
    const form = new URLSearchParams(req.body as Record<string, string>).toString();
    req.body = Buffer.from(form);
    req.headers["content-length"] = String(Buffer.byteLength(form));
  }
  next();
}

/** Verifies the pacts against a running provider with the real Pact verifier (FFI). */
export async function verifyPacts(options: PactVerifyOptions): Promise<PactVerification> {
  keepPactOffline();
  const files = options.files ?? pactFiles();
  const stateErrors: string[] = [];
  const base = {
    provider: "stockproof-api",
    providerBaseUrl: options.providerBaseUrl.replace(/\/$/, ""),
    pactUrls: [...files],
    logLevel: options.logLevel ?? ("warn" as const),
    timeout: 60_000,
    requestFilter: keepFormBodies,
  };
  let handlers: ReturnType<typeof createStateHandlers> | null = null;
  let verifier: Verifier;
  if (options.states.kind === "setup-url") {
    verifier = new Verifier({ ...base, providerStatesSetupUrl: options.states.url });
  } else {
    const created = createStateHandlers(
      options.states.options,
      statesInPacts(files).map((s) => s.name),
    );
    handlers = created;
    // Pact reports a failing state handler only as a log line; keep the reason for the result.
    const stateHandlers = Object.fromEntries(
      Object.entries(created.handlers).map(([name, setup]) => [
        name,
        async (params?: unknown) => {
          try {
            return await setup(params as Record<string, unknown> | undefined);
          } catch (error) {
            stateErrors.push(`${name}: ${(error as Error).message}`);
            throw error;
          }
        },
      ]),
    );
    const beforeEach = async () => {
      try {
        await created.beforeEach();
      } catch (error) {
        stateErrors.push(`reset before the interaction: ${(error as Error).message}`);
        throw error;
      }
    };
    verifier = new Verifier({ ...base, stateHandlers, beforeEach });
  }
  try {
    const output = await verifier.verifyProvider();
    return { ok: stateErrors.length === 0, output: String(output), stateErrors };
  } catch (error) {
    return { ok: false, output: error instanceof Error ? error.message : String(error), stateErrors };
  } finally {
    await handlers?.close();
  }
}
