/**
 * @module
 * What a provider without state set-up or the test-control API can do, with every state the pacts need.
 */

import type { PactStateUse } from "./pact-verify.js";
import { templateOf } from "./provider-states.js";

/**
 * What to do when a provider has neither a state-setup endpoint nor the test-control API: the two
 * ways out, and every state the pacts need with its data, so the provider team can build either.
 */
export function stateAdvice(providerBaseUrl: string, states: readonly PactStateUse[]): string {
  const lines = [
    `The pacts need provider states, and there is no way to set them on ${providerBaseUrl}:`,
    "neither --provider-states-setup-url nor --admin-key was given. Do one of these, then run verify again:",
    "",
    "  1. Add a state endpoint to the dev server and pass --provider-states-setup-url URL.",
    '     Pact POSTs {"state": NAME, "params": {…}, "action": "setup"} before each interaction (and',
    '     "teardown" after). Answer 200; when the state provides values, answer a JSON object with them,',
    '     e.g. {"accessToken": "…"} — the request then carries that token.',
    "  2. Expose stockproof's test-control API on the dev server (PUT /__admin/stock, POST /__admin/reset,",
    "     guarded by X-Admin-Key) and pass --admin-key KEY; stockproof then sets every state itself",
    "     through that API and the public API (logging in with --user, reserving, paying, cancelling).",
    "",
    "The states, their data, and what setting them takes:",
  ];
  for (const state of states) {
    const template = templateOf(state.name)?.[1];
    lines.push(`  • ${state.name}`);
    lines.push(`      params: ${JSON.stringify(state.params)}`);
    if (template !== undefined) {
      lines.push(`      means:  ${template.means}`);
      lines.push(`      needs:  ${template.needs.join(", ")}`);
      if (template.provides.length > 0)
        lines.push(`      answer: {${template.provides.map((p) => `"${p}": "…"`).join(", ")}}`);
    }
    lines.push(`      used by ${state.interactions.length} interaction(s): ${state.interactions.join("; ")}`);
  }
  lines.push("", "contracts/README.md describes each state in plain words.");
  return lines.join("\n");
}
