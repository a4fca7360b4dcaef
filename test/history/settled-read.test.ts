import { describe, expect, it } from "vitest";
import { err, ok, type Result } from "../../src/backend/domain/types.js";
import { settledRead } from "../../src/verify/history/stock-observer.js";

/** A store read that answers each call with the next of `answers`, the last one from then on. */
function reads(...answers: Result<Map<number, number>, string>[]) {
  let calls = 0;
  return {
    read: async () => answers[Math.min(calls++, answers.length - 1)] as Result<Map<number, number>, string>,
    calls: () => calls,
  };
}

describe("settledRead: a --snapshot read until it has held for the stated lag", () => {
  it("says so when the replica did not list the SKU at first, though it never changed after", async () => {
    // Before: no note (it counted only changes), so the report hid that the first reads had failed.
    const store = reads(err("its output names no available stock for SKU 800001"), ok(new Map([[800001, 600]])));
    const settled = await settledRead(store.read, 2_000, 200);
    expect(settled.ok && [...settled.value]).toEqual([[800001, 600]]);
    expect(settled.note).toMatch(
      /^--snapshot settled after \d+ reads \(\d+ ms\): it changed 0 times after the requests ended, then held for 200 ms \(--read-lag\)\. Its first 1 read failed: its output names no available stock for SKU 800001$/,
    );
  });

  it("counts a change after the requests ended", async () => {
    const store = reads(ok(new Map([[1, 5]])), ok(new Map([[1, 7]])));
    const settled = await settledRead(store.read, 2_000, 200);
    expect(settled.ok && settled.value.get(1)).toBe(7);
    expect(settled.note).toMatch(/it changed 1 time after the requests ended, then held for 200 ms/);
  });

  it("stays silent when the first read already held", async () => {
    const store = reads(ok(new Map([[1, 5]])));
    const settled = await settledRead(store.read, 2_000, 200);
    expect(settled.note).toBeUndefined();
    expect(store.calls()).toBeGreaterThan(1);
  });

  it("gives the read's own error when the SKU never appears within the lag", async () => {
    const store = reads(err("no SKU 9"));
    const settled = await settledRead(store.read, 2_000, 150);
    expect(settled).toEqual({ ok: false, error: "no SKU 9" });
  });
});
