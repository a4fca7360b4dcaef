import { describe, expect, it } from "vitest";
import type { Exchange } from "../../src/verify/contract/conformance.js";
import { groupViolations } from "../../src/verify/contract/violation-groups.js";
import { conformanceJunit } from "../../src/verify/report/conformance/junit.js";
import { formatReport, summarize } from "../../src/verify/report/conformance/report.js";
import { api } from "../helpers/api.js";
import { cli } from "../helpers/cli.js";
import { startReference } from "../helpers/reference.js";

const reservePath = (id: string) =>
  `/orders/payment/choice?${new URLSearchParams({ paymentOrderId: id, customData: "{}" })}`;

function exchange(operationId: string, label: string, path: string, status: number, rule: string | null): Exchange {
  return {
    operationId,
    label,
    channel: "strict",
    expected: [200],
    request: { method: operationId === "cancelOrder" ? "DELETE" : "GET", path, headers: {}, body: null },
    response: { status, headers: { "content-type": "application/problem+json" }, body: { error: "no" } },
    prismAnswer: null,
    violations:
      rule === null ? [] : [{ side: "response", severity: "Error", location: "response.body", message: rule }],
  };
}

/*
 * Before: conform against a server that is not the reference printed 160 ✗ lines, 100 of them the
 * same burst violation, and every pay and cancel after a refused reservation as its own 404.
 */
describe("conform groups identical violations and marks consequences", () => {
  const shape = "must have required property 'code'";
  const exchanges: Exchange[] = [
    exchange("reserveStock", "reserve", reservePath("o-1"), 409, shape),
    exchange("payOrder", "pay", "/orders/payment/kcp/payResultTest/o-1", 404, shape),
    exchange("payOrder", "pay again", "/orders/payment/kcp/payResultTest/o-1", 404, shape),
    exchange("cancelOrder", "cancel a paid order", "/orders/payment/cancel/o-1", 404, shape),
    ...Array.from({ length: 100 }, (_, i) =>
      exchange("reserveStock", "burst: reserve one unit", reservePath(`b-${i}`), 409, shape),
    ),
    exchange("reserveStock", "reserve ok", reservePath("o-2"), 200, null),
  ];

  it("one line per operation, status and rule, with a count; consequences after their cause", () => {
    const groups = groupViolations(exchanges);
    expect(groups.map((g) => [g.operationId, g.status, g.count, g.consequenceOf !== null])).toEqual([
      ["reserveStock", 409, 101, false],
      ["payOrder", 404, 2, true],
      ["cancelOrder", 404, 1, true],
    ]);
    expect(groups[1]?.consequenceOf).toBe('the refused reservation (reserveStock 409, "reserve")');
    const text = formatReport(
      summarize({ target: "http://t", startedAt: "2024-01-01T00:00:00Z", durationMs: 1000, exchanges, skipped: [] }),
    );
    expect(text.match(/^✗ /gm)).toHaveLength(4);
    expect(text).toContain("✗ 101 × reserveStock 409 — reserve; burst: reserve one unit");
    expect(text).toContain("consequence of the refused reservation");
    expect(text).toContain("✗ 104 of 105 exchanges violate the spec, in 3 groups (3 exchanges only as consequences");
  });

  it("--junit: a case per operation and status, failures carrying the grouped violations", () => {
    const xml = conformanceJunit(
      summarize({ target: "http://t", startedAt: "2024-01-01T00:00:00Z", durationMs: 1000, exchanges, skipped: [] }),
    );
    expect(xml).toContain('<testsuite name="stockproof.conform" tests="4" failures="3"');
    expect(xml).toContain('<testcase classname="stockproof.conform" name="reserveStock 200"/>');
    expect(xml).toMatch(/name="reserveStock 409"[\s\S]*101 × reserve; burst: reserve one unit/);
  });

  it("a SKU without stock on the target: exit 3 with one line, before Prism starts; nothing changed", async () => {
    const reference = await startReference();
    try {
      const client = api(reference.url);
      await client.setStock([{ productStockId: 311191, quantity: 0 }]);
      const before = (await client.snapshot()).body;
      const run = await cli(["conform", "--target", reference.url, "--no-progress"]);
      expect(run.code).toBe(3);
      expect(run.stderr.split("\n")[0]).toBe(
        "NOT JUDGED: SKU 311191 has no stock on the target (a one-unit reservation answered 409 OUT_OF_STOCK)",
      );
      expect(run.stderr).toContain("fix: pass --sku (and --product-info) of a SKU with at least 50 units");
      expect((await client.snapshot()).body.skus).toEqual(before.skus);
      const users = await cli(["conform", "--target", reference.url, "--users", "me@shop:pw"]);
      expect(users.code).toBe(3);
      expect(users.stderr).toMatch(/^NOT JUDGED: login as me@shop was refused \(400 invalid_grant\)/);
    } finally {
      await reference.close();
    }
  });
});
