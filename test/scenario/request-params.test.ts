import { describe, expect, test } from "vitest";
import { validateParameters, validateSchema } from "../../src/backend/spec/validators.js";
import { createOrderIds, newRunId } from "../../src/verify/scenario/ids.js";
import { formatLoadError, loadScenario, parseScenario } from "../../src/verify/scenario/load.js";
import { planRun, requestsOf } from "../../src/verify/scenario/plan.js";
import { createReserveQueries, reserveQuery, runDay } from "../../src/verify/scenario/request-params.js";
import { evaluateThreshold, type ThresholdMetrics } from "../../src/verify/scenario/thresholds.js";
import type { Scenario } from "../../src/verify/scenario/types.js";

/** The first request the plan of a scenario sends. */
function firstRequest(s: Scenario) {
  const phase = planRun(s, newRunId()).phases[0];
  const request = phase === undefined ? undefined : requestsOf(phase)[0];
  if (request === undefined) throw new Error("no request planned");
  return request;
}

function scenario(name: string): Scenario {
  const loaded = loadScenario(name);
  if (!loaded.ok) throw new Error(formatLoadError(loaded.error));
  return loaded.value;
}

describe("requests carry the seed's parameters", () => {
  test("the run's cached query builder gives reserveQuery's exact text for every reservation of every built-in scenario", () => {
    const day = runDay(new Date(2021, 5, 21));
    for (const name of ["seed-3-1", "seed-3-2", "races", "contention", "crossed-carts", "expiry"]) {
      const s = scenario(name);
      const queryOf = createReserveQueries(s, day);
      const reserves = planRun(s, newRunId())
        .phases.flatMap(requestsOf)
        .filter((r) => r.kind === "reserve");
      expect(reserves.length).toBeGreaterThan(0);
      for (const r of reserves) expect(queryOf(r), `${name} round ${r.round}`).toBe(reserveQuery(s, r, day));
      // Ids the spec allows that form-encoding changes (":"), and one JSON would escape (built in full).
      const first = reserves[0] as (typeof reserves)[number];
      for (const id of ["a:b.c_d-e", 'q"uote']) {
        const odd = { ...first, paymentOrderId: id };
        expect(queryOf(odd)).toBe(reserveQuery(s, odd, day));
      }
    }
  });

  test("seed-3-1's reserve: every query parameter valid for the spec, customData in the seed's shape", () => {
    const s = scenario("seed-3-1");
    const first = firstRequest(s);
    const day = runDay(new Date(2021, 5, 21));
    const query = Object.fromEntries(new URLSearchParams(reserveQuery(s, first, day)));
    expect(validateParameters("reserveStock", "query", query).ok).toBe(true);
    expect(query).toMatchObject({ storeId: "itsdcode", merchantId: "itsdcode", amount: "3000", timestamp: "20210621" });
    const data = JSON.parse(query.customData as string) as Record<string, unknown>;
    expect(validateSchema("CustomData", data).ok).toBe(true);
    expect(data).toMatchObject({
      payMethod: "card",
      userId: 144602,
      finalAmount: 3000,
      productInfoList: null,
      couponCodeList: [],
      productStockList: [
        {
          productStockId: 311191,
          productId: 219622,
          productName: "210521 KINGMING TEST PRODUCT 003",
          orderCount: 1,
          color: "BLACK",
          size: "L",
        },
      ],
    });
  });

  test("customData can list productInfoList instead, and take extra fields from the scenario", () => {
    const parsed = parseScenario(
      `name: info
given:
  skus: [{ productStockId: 311191, productId: 219622, color: BLACK, size: L, salePrice: 1500, stock: 50 }]
  users: [{ username: buyer@example.com, password: buyer-password }]
  request: { amount: "1500", timestamp: "20210621", customData: { lines: productInfoList, fields: { addressId: 84577 } } }
  traffic: { shape: sequential, rounds: 1 }
when:
  - { name: buy, reserve: [{ sku: 311191, count: 2 }] }
`,
      "info.yaml",
    );
    if (!parsed.ok) throw new Error(formatLoadError(parsed.error));
    const request = firstRequest(parsed.value);
    const query = Object.fromEntries(new URLSearchParams(reserveQuery(parsed.value, request, "20990101")));
    expect(query.amount).toBe("1500");
    expect(query.timestamp).toBe("20210621");
    const data = JSON.parse(query.customData as string) as Record<string, unknown>;
    expect(data.productStockList).toBeNull();
    expect(data.productInfoList).toEqual([
      { productId: 219622, color: "BLACK", size: "L", colorId: null, sizeId: null, count: 2 },
    ]);
    expect(data.addressId).toBe(84577);
    expect(data.finalAmount).toBe(3000);
  });

  test("paymentOrderIds are unique across runs and processes and fit the spec's 64 characters", () => {
    const a = createOrderIds("sp-long-prefix16", newRunId(), 4_194_304);
    const b = createOrderIds("sp-long-prefix16", newRunId(), 4_194_304);
    const c = createOrderIds("sp-long-prefix16", "sameRunId", 1);
    const d = createOrderIds("sp-long-prefix16", "sameRunId", 2);
    const ids = Array.from({ length: 1000 }, () => [a(), b(), c(), d()]).flat();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
  });
});

describe("thresholds", () => {
  const metrics: ThresholdMetrics = {
    percentile: (p) => p * 2,
    avg: 10,
    min: 1,
    max: 300,
    med: 8,
    errors: 0,
    indeterminate: 0,
    timeouts: 0,
    server_errors: 0,
    rejected: 12,
    failed: 12,
    failed_rate: 0.08,
    rps: 150,
  };
  test.each([
    ["p(99) < 200ms", 198, true],
    ["p(99) < 0.19s", 198, false],
    ["errors == 0", 0, true],
    ["rejected <= 11", 12, false],
    ["rps > 100", 150, true],
    ["max != 300", 300, false],
    // 4xx count as failed, as k6's http_req_failed counts them: "errors == 0" alone passes here.
    ["failed_rate < 0.01", 0.08, false],
    ["http_req_failed < 0.1", 0.08, true],
    ["failed == 0", 12, false],
  ] as const)("%s", (expression, value, passed) => {
    expect(evaluateThreshold(expression, metrics)).toEqual({ expression, value, passed });
  });
  test("a malformed threshold is refused with an example", () => {
    expect(() => evaluateThreshold("p99 < 200", metrics)).toThrow(/e\.g\. "p\(99\) < 200ms"/);
  });
});
