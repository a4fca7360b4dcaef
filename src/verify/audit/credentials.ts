/**
 * @module
 * The users and client an audit logs in with, flags first, then the environment, then the scenario's own.
 */

import { err, ok, type Result } from "../../backend/domain/types.js";
import { parseUsersOption, type UserCredential } from "../../base/config/vocabulary.js";
import type { Scenario, ScenarioUser } from "../scenario/types.js";

export type { UserCredential } from "../../base/config/vocabulary.js";

export interface Credentials {
  readonly clientId?: string;
  readonly clientSecret?: string;
  readonly users?: readonly UserCredential[];
}

/** Parses `--users` / STOCKPROOF_USERS (see parseUsersOption) as a result. */
export function parseUsers(spec: string): Result<UserCredential[], string> {
  try {
    return ok(parseUsersOption("--users", spec));
  } catch (error) {
    return err((error as Error).message);
  }
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
