import { afterAll, describe, expect, it } from "vitest";
import { canSend, catalogue, exemptions } from "../../src/verify/calls/index.js";
import { createFakeClock } from "../helpers/fake-clock.js";
import { describeMatrix, needsMet } from "../helpers/matrix/describe-matrix.js";
import { closeTargets, targetKinds } from "../helpers/matrix/targets.js";
import { catalogueCalls, declaredPairs } from "./behaviour/catalogue-calls.js";
import { headRequests } from "./behaviour/head.js";
import { holdTtl } from "./behaviour/hold-ttl.js";
import { oauthFlows } from "./behaviour/oauth-flows.js";
import { orderFlows } from "./behaviour/order-flows.js";

/**
 * One behaviour suite, four targets: the Hono app in-process on the memory store, the listening
 * server on SQLite, the MSW backend's fetch, and the built CLI's server (one process for the whole
 * file, its state reset through the test-control API between calls). The calls and the answers
 * they expect come from the catalogue (src/verify/calls).
 */
afterAll(() => closeTargets());

describe("the catalogue against the spec", () => {
  it("has a call some target answers for every status the spec declares, or an exemption with a reason", () => {
    const reached = new Set(
      targetKinds.flatMap((kind) =>
        catalogue.filter((c) => canSend(c, needsMet(kind))).map((c) => `${c.operationId} ${c.expect.status}`),
      ),
    );
    const exempt = new Set(exemptions.map((e) => `${e.operationId} ${e.status}`));
    expect(declaredPairs().filter((pair) => !reached.has(pair) && !exempt.has(pair))).toEqual([]);
    for (const e of exemptions)
      expect(
        reached.has(`${e.operationId} ${e.status}`),
        `${e.operationId} ${e.status} is both produced and exempt`,
      ).toBe(false);
  });
});

describeMatrix("the API's behaviour", (ctx) => {
  catalogueCalls(ctx);
  orderFlows(ctx);
  oauthFlows(ctx);
  headRequests(ctx);
});

const ttl = 15 * 60_000;
const clock = createFakeClock();
describeMatrix("hold TTL with an injected clock", (ctx) => holdTtl(ctx, clock, ttl), {
  options: () => ({ clock: clock.now, holdTtlMs: ttl }),
});
