/**
 * @module
 * Sets up what a catalogue call needs (log in, reserve, pay, cancel) through other calls of the catalogue.
 */

import type { LineItem } from "../client/reserve-query.js";
import {
  type CallCase,
  caseName,
  type Given,
  type Need,
  type ReceivedResponse,
  type SentRequest,
  type StateNeed,
  type TokenSigning,
} from "./case.js";
import { cancel, pay } from "./cases/orders.js";
import { reserve } from "./cases/reserve.js";
import { login, otherLogin, readOnlyLogin, refresh } from "./cases/token.js";
import { reserveLines } from "./requests.js";
import type { CatalogueSettings } from "./settings.js";

/** Sends one request of a catalogue call (a set-up step or the call under test) to the server. */
export type Exec = (c: CallCase, request: SentRequest) => Promise<ReceivedResponse>;

export interface GivensOptions {
  readonly settings: CatalogueSettings;
  readonly exec: Exec;
  /** A paymentOrderId no call of this run has used. */
  readonly nextId: () => string;
  /** How the server signs tokens, when known (calls needing "tokenSigning" read it). */
  readonly signing?: TokenSigning | null;
}

const needOf: Record<keyof Omit<Given, "settings" | "id">, Need> = {
  token: "buyer",
  readToken: "readOnly",
  otherToken: "other",
  refreshToken: "refreshToken",
  readRefreshToken: "readRefreshToken",
  spentRefreshToken: "spentRefreshToken",
  order: "reserved",
  adminKey: "admin",
  signing: "tokenSigning",
};

/** A Given holding `values`; reading any other field throws, naming the call that forgot to declare it. */
export function givenOf(for_: string, values: Partial<Given> & Pick<Given, "settings" | "id">): Given {
  const given: Record<string, unknown> = { ...values };
  for (const [field, need] of Object.entries(needOf)) {
    if (field in given) continue;
    Object.defineProperty(given, field, {
      get() {
        throw new Error(`${for_} reads ${field} but does not declare the need "${need}"`);
      },
    });
  }
  return given as unknown as Given;
}

/** The server answered a set-up call otherwise than the catalogue says, so the call that needed it cannot be sent. */
export class SetupError extends Error {
  override readonly name = "SetupError";
}

const field = (response: ReceivedResponse, name: string): string => {
  const value = (response.body as Record<string, unknown> | null)?.[name];
  if (typeof value !== "string") throw new SetupError(`no ${name} in the answer ${JSON.stringify(response.body)}`);
  return value;
};

/**
 * Sets up what catalogue calls need through other calls of the catalogue (log in, reserve, pay,
 * cancel), each checked against the catalogue's own expectation. Access tokens are fetched once per
 * `createGivens`; refresh tokens and orders are new for every call.
 */
export function createGivens(options: GivensOptions) {
  const { settings, exec } = options;
  const base = () => ({ settings, id: options.nextId() });

  /** Runs a set-up call (its own request unless `request` is given); another answer than the catalogue's throws. */
  async function step(
    c: CallCase,
    values: Partial<Given>,
    purpose: string,
    request?: SentRequest,
  ): Promise<ReceivedResponse> {
    const sent = request ?? (await c.request(givenOf(caseName(c), { ...base(), ...values })));
    const response = await exec(c, sent);
    if (response.status !== c.expect.status) {
      const target = `${sent.method} ${sent.path.split("?")[0]}`;
      throw new SetupError(
        `Could not set up ${purpose}: ${target} answered ${response.status} (${caseName(c)} expects ${c.expect.status}): ${JSON.stringify(response.body)}`,
      );
    }
    return response;
  }

  const once = new Map<CallCase, Promise<ReceivedResponse>>();
  const loginOnce = (c: CallCase) => {
    let answer = once.get(c);
    if (answer === undefined) {
      answer = step(c, {}, `a token (${c.says})`);
      answer.catch(() => once.delete(c));
      once.set(c, answer);
    }
    return answer.then((response) => field(response, "access_token"));
  };

  /** The buyer's order `paymentOrderId` in `state`: reserved (one unit, or `lines`), then paid or cancelled. */
  async function order(state: StateNeed, token: string, paymentOrderId: string, lines?: readonly LineItem[]) {
    const purpose = `a ${state} order ${paymentOrderId}`;
    const reserving = lines === undefined ? undefined : reserveLines(token, paymentOrderId, lines);
    await step(reserve, { token, id: paymentOrderId }, purpose, reserving);
    if (state === "paid") await step(pay, { token, order: paymentOrderId }, purpose);
    if (state === "cancelled") await step(cancel, { token, order: paymentOrderId }, purpose);
  }

  const refreshTokenOf = async (c: CallCase) =>
    field(await step(c, {}, `a refresh token (${c.says})`), "refresh_token");

  /** Everything `c` needs, set up now; `known` values are taken as they are. */
  async function resolve(c: CallCase, known: Partial<Given> = {}): Promise<Given> {
    const needs = new Set(c.needs);
    const values: { -readonly [K in keyof Given]?: Given[K] } & Pick<Given, "settings" | "id"> = {
      ...base(),
      ...known,
    };
    const has = (name: keyof Given) => name in known;
    for (const [need, name] of [
      ["expired", "order"],
      ["lapsed", "token"],
    ] as const) {
      if (needs.has(need) && !has(name))
        throw new Error(`${caseName(c)} needs ${need} ${name}: give it as a known value`);
    }
    if ((needs.has("buyer") || needs.has("reserved") || needs.has("paid") || needs.has("cancelled")) && !has("token"))
      values.token = await loginOnce(login);
    if (needs.has("readOnly") && !has("readToken")) values.readToken = await loginOnce(readOnlyLogin);
    if (needs.has("other") && !has("otherToken")) values.otherToken = await loginOnce(otherLogin);
    if (needs.has("refreshToken") && !has("refreshToken")) values.refreshToken = await refreshTokenOf(login);
    if (needs.has("spentRefreshToken") && !has("spentRefreshToken")) {
      const used = await refreshTokenOf(login);
      await step(refresh, { refreshToken: used }, `a spent refresh token (${c.says})`);
      values.spentRefreshToken = used;
    }
    if (needs.has("readRefreshToken") && !has("readRefreshToken"))
      values.readRefreshToken = await refreshTokenOf(readOnlyLogin);
    if (needs.has("admin") && settings.adminKey !== null) values.adminKey = settings.adminKey;
    if (needs.has("tokenSigning") && options.signing) values.signing = options.signing;
    const state = (["reserved", "paid", "cancelled"] as const).find((s) => needs.has(s));
    if (state !== undefined && !has("order")) {
      values.order = options.nextId();
      await order(state, values.token as string, values.order);
    }
    return givenOf(caseName(c), values);
  }

  return { resolve, order, step };
}

export type Givens = ReturnType<typeof createGivens>;
