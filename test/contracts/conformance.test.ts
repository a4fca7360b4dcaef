import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStockService } from "../../src/backend/service/stock-service.js";
import { createMemoryStore } from "../../src/backend/store/memory.js";
import { type ConformanceRun, runConformance } from "../../src/verify/contract/conformance.js";
import { demoDriveSettings, driveCalls } from "../../src/verify/contract/conformance-drive.js";
import { summarize } from "../../src/verify/report/conformance/report.js";
import { type RunningReference, startReference } from "../helpers/reference.js";

/** The model's answer to the burst: how many one-unit reservations of `stock` units succeed. */
async function modelBurst(reservations: number, stock: number): Promise<{ reserved: number; refused: number }> {
  const catalog = [
    {
      ...{ productStockId: 311191, productId: 219622, productName: "P", color: "BLACK", size: "L", salePrice: 3000 },
      ...{ initial: stock, available: stock, held: 0, paid: 0 },
    },
  ];
  const store = createMemoryStore();
  store.replaceAll(catalog);
  const service = createStockService({ store, catalog });
  let reserved = 0;
  for (let i = 0; i < reservations; i++) {
    const result = await service.reserve("buyer", {
      paymentOrderId: `m${i}`,
      lines: [{ kind: "stock", productStockId: 311191, count: 1 }],
      amount: "3000",
    });
    if (result.ok) reserved += 1;
  }
  return { reserved, refused: reservations - reserved };
}

const settings = { ...demoDriveSettings, runId: "ref" };

describe("the reference behind prism proxy --errors", () => {
  let server: RunningReference;
  let run: ConformanceRun;
  beforeAll(async () => {
    server = await startReference();
    run = await runConformance({ target: server.url, settings });
  }, 300_000);
  afterAll(async () => server?.close());

  it("answers every case without a single violation", () => {
    const report = summarize(run);
    expect(report.violations.map((e) => ({ label: e.label, violations: e.violations }))).toEqual([]);
    expect(report.violatingExchanges).toBe(0);
  });

  it("reached each case's intended status, so every error path was really exercised", () => {
    expect(summarize(run).differentFromReference).toEqual([]);
    expect(run.skipped).toEqual([]);
  });

  it("drove every operation of the spec, on every status the reference gives", () => {
    const seen = new Set(run.exchanges.map((e) => `${e.operationId} ${e.response.status}`));
    // Each core call of the catalogue the drive can set up, with the status the catalogue expects.
    const expected = [...new Set(driveCalls(settings).map((c) => `${c.operationId} ${c.expect.status}`))];
    expect(expected.length).toBeGreaterThanOrEqual(28);
    expect([...seen].sort()).toEqual(expect.arrayContaining(expected));
  });

  it("under the seed-3-1 burst, as many reservations succeed as the model allows, and all are paid", async () => {
    const { reservations, stock } = demoDriveSettings.burst;
    const model = await modelBurst(reservations, stock);
    const burst = run.exchanges.filter((e) => e.label === "burst: reserve one unit");
    expect(burst).toHaveLength(reservations);
    expect(burst.filter((e) => e.response.status === 200)).toHaveLength(model.reserved);
    expect(burst.filter((e) => e.response.status === 409)).toHaveLength(model.refused);
    const paid = run.exchanges.filter((e) => e.label === "burst: pay" && e.response.status === 200);
    expect(paid).toHaveLength(model.reserved);
    const snapshot = server.reference.service.snapshot();
    expect(snapshot.invariantHolds).toBe(true);
    const sku = snapshot.skus.find((s) => s.level.productStockId === 311191)?.level;
    expect(sku?.available).toBe(stock - model.reserved);
  });
});
