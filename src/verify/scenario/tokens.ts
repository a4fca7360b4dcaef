/**
 * @module
 * Logs the scenario's users in and keeps their access tokens fresh during a run.
 */

import { noAnswerWords } from "../probe/transport-cause.js";
import type { TargetClient } from "./client.js";
import type { ScenarioUser } from "./types.js";

interface Held {
  readonly access: string;
  readonly refresh: string | null;
  /** performance-clock milliseconds after which the token is refreshed. */
  readonly renewAt: number;
}

/** Refresh a token this long before it expires, so no request carries an expired one. */
const marginMs = 30_000;

/** Logs users in through /oauth/token and keeps their access tokens fresh (refresh grant, else a new login). */
export function createTokenKeeper(client: TargetClient, oauthClient: { id: string; secret: string }) {
  const held = new Map<string, Promise<Held>>();
  // The settled tokens, so that a request can take one without waiting a turn (a burst's requests
  // are built between one write and the next).
  const settled = new Map<string, Held>();

  async function grant(form: Record<string, string>, user: ScenarioUser): Promise<Held> {
    const exchange = await client.send(
      "POST",
      "/oauth/token",
      { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      new URLSearchParams({ ...form, client_id: oauthClient.id, client_secret: oauthClient.secret }).toString(),
    );
    if (exchange.status !== 200) {
      const why =
        exchange.failure !== null
          ? noAnswerWords(client.target, exchange.cause, exchange.message)
          : `HTTP ${exchange.status} ${exchange.body.slice(0, 200)}`;
      throw new Error(
        `Login as ${user.username} failed at POST /oauth/token: ${why}. Check the users and client in the scenario's given.`,
      );
    }
    const body = JSON.parse(exchange.body) as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== "string") {
      throw new Error(`POST /oauth/token for ${user.username} answered 200 without an access_token.`);
    }
    const lifetimeMs = typeof body.expires_in === "number" ? body.expires_in * 1000 : 3_600_000;
    return {
      access: body.access_token,
      refresh: typeof body.refresh_token === "string" ? body.refresh_token : null,
      // exp has one-second granularity, so a short-lived token may lapse a second early.
      renewAt: client.now() + Math.max(lifetimeMs - marginMs, lifetimeMs / 2 - 1000, 0),
    };
  }

  const login = (user: ScenarioUser) =>
    grant({ grant_type: "password", username: user.username, password: user.password }, user);

  async function renew(user: ScenarioUser, previous: Held): Promise<Held> {
    if (previous.refresh !== null) {
      try {
        return await grant({ grant_type: "refresh_token", refresh_token: previous.refresh }, user);
      } catch {
        // A refused refresh token falls back to a fresh login below.
      }
    }
    return login(user);
  }

  return {
    /** A valid access token for the user; one login or refresh in flight per user. */
    async token(user: ScenarioUser): Promise<string> {
      let pending = held.get(user.username);
      if (pending === undefined) {
        pending = login(user);
        held.set(user.username, pending);
      }
      const current = await pending;
      settled.set(user.username, current);
      if (client.now() < current.renewAt) return current.access;
      if (held.get(user.username) === pending) held.set(user.username, renew(user, current));
      const renewed = await (held.get(user.username) as Promise<Held>);
      settled.set(user.username, renewed);
      return renewed.access;
    },
    /** The user's access token when one is held and fresh, at once; else null (then await `token`). */
    ready(user: ScenarioUser): string | null {
      const current = settled.get(user.username);
      return current !== undefined && client.now() < current.renewAt ? current.access : null;
    },
  };
}

export type TokenKeeper = ReturnType<typeof createTokenKeeper>;
