import { err, ok, type Result } from "../domain/types.js";
import type { Scenario, ScenarioUser } from "../scenario/types.js";

/** A user given on the command line or in the environment; alias null = by position. */
export interface UserCredential {
  readonly alias: string | null;
  readonly username: string;
  readonly password: string;
}

export interface Credentials {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly users?: readonly UserCredential[];
}

/**
 * Parses `--users` / STOCKPROOF_USERS: comma-separated `[alias=]username:password`, e.g.
 * `buyer=alice@example.com:secret1,other=bob@example.com:secret2`. Without aliases the users
 * replace the scenario's users in order.
 */
export function parseUsers(spec: string): Result<UserCredential[], string> {
  const users: UserCredential[] = [];
  for (const part of spec
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "")) {
    const eq = part.indexOf("=");
    const colon = part.indexOf(":", eq + 1);
    const alias = eq > 0 && eq < colon ? part.slice(0, eq) : null;
    const rest = alias === null ? part : part.slice(eq + 1);
    const split = rest.indexOf(":");
    if (split <= 0) return err(`--users entry "${part}" must be [alias=]username:password`);
    users.push({ alias, username: rest.slice(0, split), password: rest.slice(split + 1) });
  }
  return ok(users);
}

/** Flags win over the environment, which wins over the scenario file. */
export function mergeCredentials(flags: Credentials, env: Credentials): Credentials {
  const clientId = flags.clientId ?? env.clientId;
  const clientSecret = flags.clientSecret ?? env.clientSecret;
  const users = flags.users ?? env.users;
  return {
    ...(clientId === undefined ? {} : { clientId }),
    ...(clientSecret === undefined ? {} : { clientSecret }),
    ...(users === undefined ? {} : { users }),
  };
}

/** The scenario with the given client and users in place of its own. */
export function withCredentials(scenario: Scenario, credentials: Credentials): Scenario {
  const given = credentials.users ?? [];
  const users = scenario.users.map((user, index): ScenarioUser => {
    const named = given.find((u) => u.alias === user.name);
    const positional = given.filter((u) => u.alias === null)[index];
    const chosen = named ?? positional;
    return chosen === undefined ? user : { ...user, username: chosen.username, password: chosen.password };
  });
  return {
    ...scenario,
    users,
    client: {
      id: credentials.clientId ?? scenario.client.id,
      secret: credentials.clientSecret ?? scenario.client.secret,
    },
  };
}
