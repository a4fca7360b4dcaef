/**
 * @module
 * The two sides of `compare`: the fresh reference's accounts, and the exit code when a side is not judged.
 */

import type { AccountInput, OAuthClient } from "../backend/auth/accounts.js";
import type { Verdict } from "../verify/scenario/check/index.js";
import type { Scenario } from "../verify/scenario/types.js";
import { exitOfVerdict } from "./exit-codes.js";

/**
 * The accounts of compare's fresh reference: the scenario's users and client as they log in to the
 * target. Orders belong to the user's id when the scenario gives one, as the demo users' do.
 */
export function referenceAccounts(scenario: Scenario): {
  users: AccountInput[];
  clients: OAuthClient[];
} {
  const users = new Map<string, AccountInput>();
  for (const u of scenario.users)
    if (!users.has(u.username))
      users.set(u.username, {
        username: u.username,
        password: u.password,
        userName: u.userId === null ? u.username : String(u.userId),
      });
  return {
    users: [...users.values()],
    clients: [{ clientId: scenario.client.id, clientSecret: scenario.client.secret, scopes: ["read", "write"] }],
  };
}

/**
 * compare's exit code: a fault found on the target fails (1); else a side that could not be judged
 * (either one) is not a pass (3) — the comparison it was run for did not happen; else the target's.
 */
export function compareExit(reference: Pick<Verdict, "verdict">, target: Pick<Verdict, "verdict">): number {
  if (target.verdict === "fail") return exitOfVerdict("fail");
  if (reference.verdict === "not-judged") return exitOfVerdict("not-judged");
  return exitOfVerdict(target.verdict);
}

/** The lines that say why one side could not be judged; null when it was. */
export function sideNotJudged(side: "reference" | "target", verdict: Verdict): string[] | null {
  if (verdict.verdict !== "not-judged" || verdict.notJudged === null) return null;
  return [
    `NOT JUDGED (the ${side} side): ${verdict.notJudged.reason}`,
    `  fix: ${verdict.notJudged.fix}`,
    `  the comparison is not a pass: exit ${exitOfVerdict("not-judged")}`,
  ];
}
