/**
 * @module
 * Which of a scenario's logins an exported script may carry: names and demo logins, never real secrets.
 */

import { demoClient, demoUsers } from "../../base/config/defaults.js";
import type { Scenario } from "../scenario/types.js";

/**
 * What an exported script may carry of a scenario's logins. User names and the client id are not
 * secrets; a password or client secret is, unless it is one of the public demo logins (README prints
 * them), which stay so that a built-in scenario runs against the reference as it is. Everything
 * else the engine reads from its environment (k6 `__ENV`) or properties (JMeter `__P`).
 */
export interface ExportedLogins {
  /** Per user, in the scenario's order: the password to fall back to ("" when it must be given). */
  readonly passwords: readonly string[];
  readonly clientSecret: string;
  /** What the engine must be given, e.g. ["password 0 of qa1@dev.test", …]: index, whose, and what. */
  readonly missing: readonly { readonly user: number | null; readonly label: string }[];
}

const isDemoUser = (username: string, password: string) =>
  demoUsers.some((u) => u.username === username && u.password === password);

export function exportedLogins(scenario: Scenario): ExportedLogins {
  const passwords = scenario.users.map((u) => (isDemoUser(u.username, u.password) ? u.password : ""));
  const demo = scenario.client.id === demoClient.id && scenario.client.secret === demoClient.secret;
  const missing = [
    ...scenario.users.flatMap((u, i) =>
      passwords[i] === "" ? [{ user: i, label: `<password of ${u.username}>` }] : [],
    ),
    ...(demo ? [] : [{ user: null, label: `<secret of client ${scenario.client.id}>` }]),
  ];
  return { passwords, clientSecret: demo ? scenario.client.secret : "", missing };
}
