import { afterEach, describe, expect, it } from "vitest";
import { type RunningReference, startReference } from "../helpers/reference.js";
import { audit, sqliteSetStock, verdicts } from "./support.js";

const allPass = {
  oversell: "pass",
  "lost-update": "pass",
  "double-restore": "pass",
  "paid-and-cancelled": "pass",
  "errors-under-contention": "pass",
  timeouts: "pass",
  "wrong-rejection": "pass",
  ownership: "pass",
};

describe("stockproof audit against the reference", () => {
  let ref: RunningReference | undefined;
  afterEach(async () => {
    await ref?.close();
    ref = undefined;
  });

  it("passes every class through its test-control API (stock set and observed by snapshot)", async () => {
    ref = await startReference();
    const report = await audit({ target: ref.url });
    expect(verdicts(report)).toEqual(allPass);
    expect(report.verdict).toBe("pass");
    expect(report.divergences).toEqual([]);
    expect(report.stockSetup).toMatch(/test-control API/);
    expect(report.stockObservation).toMatch(/^test-control snapshot/);
    // Every phase's final stock was observed and equals what conservation allows.
    const rows = report.scenarios.flatMap((s) => s.phases.flatMap((p) => p.verdict.stock));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.observed).not.toBeNull();
      expect(row.observed).toBeGreaterThanOrEqual(row.min);
      expect(row.observed).toBeLessThanOrEqual(row.max);
    }
  });

  it("passes every class without it: stock by a --setup script on its SQLite file, final stock by the probe", async () => {
    ref = await startReference({ adminKey: null });
    const report = await audit({ target: ref.url, setup: sqliteSetStock(ref.dbPath) });
    expect(verdicts(report)).toEqual(allPass);
    expect(report.verdict).toBe("pass");
    expect(report.stockSetup).toMatch(/--setup/);
    expect(report.stockObservation).toMatch(/^probe through the public API/);
    for (const s of report.scenarios) {
      expect(s.error).toBeNull();
      for (const p of s.phases) expect(p.stockObservation).toBe("probe");
    }
    // The probe measured what the ledger holds: compare with the reference's own snapshot.
    const last = report.scenarios.at(-1)?.phases.at(-1);
    const held = ref.reference.service.snapshot().skus;
    for (const row of last?.verdict.stock ?? []) {
      expect(row.observed).toBe(held.find((s) => s.level.productStockId === row.sku)?.level.available);
    }
  });
});
