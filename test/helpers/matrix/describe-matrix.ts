import { beforeAll, describe, expect } from "vitest";
import { defaultAudience } from "../../../src/backend/reference.js";
import { createGivens, type Givens } from "../../../src/verify/calls/givens.js";
import {
  type CallCase,
  callNamed,
  demoSettings,
  type Given,
  type Need,
  type ReceivedResponse,
  reset,
  type SentRequest,
  snapshot,
} from "../../../src/verify/calls/index.js";
import { json, judge } from "./judge.js";
import {
  matrixTokenSecret,
  type Send,
  type Target,
  type TargetKind,
  type TargetOptions,
  targetKinds,
} from "./targets.js";

/** What a behaviour section sees of the target it runs against. */
export interface MatrixContext {
  readonly kind: TargetKind;
  /** The open target (from the section's beforeAll on). */
  target(): Target;
  send(request: SentRequest): Promise<ReceivedResponse>;
  /** Set-up of catalogue needs on a server of the target (the main one unless given). */
  givens(send?: Send): Givens;
  /**
   * Sends a catalogue call (by value or name) with what it needs set up, `known` values taken as
   * given, and asserts the catalogue's answer; `request` replaces the call's own request.
   */
  call(c: CallCase | string, known?: Partial<Given>, request?: SentRequest): Promise<ReceivedResponse>;
  /** The buyer's, the read-only and the second user's access tokens (fetched once per target). */
  tokens(): Promise<Pick<Given, "token" | "readToken" | "otherToken">>;
  /** The test-control snapshot's body (checked as a catalogue call). */
  snapshot(send?: Send): Promise<Record<string, unknown>>;
  reset(): Promise<void>;
  nextId(): string;
}

/** Needs every target can meet: state set up through calls, the demo data, the admin key, the signing secret. */
const everywhere: readonly Need[] = [
  ...(["buyer", "readOnly", "other", "refreshToken", "readRefreshToken", "reserved", "paid", "cancelled"] as const),
  ...(["admin", "tokenSigning", "demoCatalog"] as const),
];

/** The needs a kind of target can meet. */
export const needsMet = (kind: TargetKind): ReadonlySet<Need> => new Set<Need>([...everywhere, ...kind.variants]);

export const signing = { secret: matrixTokenSecret, audience: defaultAudience } as const;

const opened = new Map<string, Promise<Target>>();
/** Targets with default options are shared by every section of a file (one CLI process per file). */
function openTarget(kind: TargetKind, options: TargetOptions): Promise<Target> {
  if (Object.keys(options).length > 0) return kind.open(options);
  let target = opened.get(kind.name);
  if (target === undefined) {
    target = kind.open(options);
    opened.set(kind.name, target);
  }
  return target;
}

let ids = 0;

/** No call of its own: only what `tokens()` needs set up (the snapshot stands in for a request). */
const tokensOnly: CallCase = { ...snapshot, says: "the matrix's tokens", needs: ["buyer", "readOnly", "other"] };

function context(kind: TargetKind, open: () => Target): MatrixContext {
  const resolvers = new Map<Send, Givens>();
  const ctx: MatrixContext = {
    kind,
    target: open,
    send: (request) => open().send(request),
    givens(send = open().send) {
      let givens = resolvers.get(send);
      if (givens === undefined) {
        givens = createGivens({ settings: demoSettings, exec: (_c, r) => send(r), nextId: ctx.nextId, signing });
        resolvers.set(send, givens);
      }
      return givens;
    },
    async call(c, known = {}, request) {
      const called = typeof c === "string" ? callNamed(c) : c;
      const given = await ctx.givens().resolve(called, known);
      const response = await ctx.send(request ?? (await called.request(given)));
      judge(called, response);
      return response;
    },
    async tokens() {
      const { token, readToken, otherToken } = await ctx.givens().resolve(tokensOnly);
      return { token, readToken, otherToken };
    },
    async snapshot(send = open().send) {
      const given = await ctx.givens(send).resolve(snapshot);
      const response = await send(await snapshot.request(given));
      judge(snapshot, response);
      expect(json(response).invariantHolds).toBe(true);
      return json(response);
    },
    async reset() {
      judge(reset, await ctx.send(await reset.request(await ctx.givens().resolve(reset))));
    },
    nextId: () => `mx-${++ids}`,
  };
  return ctx;
}

export interface MatrixOptions {
  /** Opens a target of its own with these options (a clock, a hold TTL); only kinds that take a clock run it. */
  readonly options?: () => TargetOptions;
}

/**
 * Runs the same behaviour section against every target (as unjs/h3's test/_setup.ts does): the
 * Hono app in-process on the memory store, the listening server on SQLite, the MSW backend's
 * fetch, and the built CLI's server.
 */
export function describeMatrix(
  title: string,
  section: (ctx: MatrixContext) => void,
  options: MatrixOptions = {},
): void {
  describe(title, () => {
    for (const kind of targetKinds) {
      if (options.options !== undefined && !kind.takesClock) continue;
      describe(`on ${kind.name}`, () => {
        let target: Target | undefined;
        beforeAll(async () => {
          target = await openTarget(kind, options.options?.() ?? {});
        });
        section(
          context(kind, () => {
            if (target === undefined) throw new Error(`${kind.name} is not open yet`);
            return target;
          }),
        );
      });
    }
  });
}
