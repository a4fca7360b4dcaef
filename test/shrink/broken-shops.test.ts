import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { ClassId } from "../../src/verify/audit/classes.js";
import { casesOf } from "../../src/verify/scenario/types.js";
import { lockPerLineLedger } from "../helpers/broken-shop/lock-per-line.js";
import { selectThenInsertLedger } from "../helpers/broken-shop/select-then-insert.js";
import { type BrokenShop, type BrokenShopOptions, startBrokenShop } from "../helpers/broken-shop.js";
import { cli } from "../helpers/cli.js";
import { scratch, shrinkToFile } from "./support.js";

/**
 * `stockproof shrink` against shops with one real design mistake each, over real HTTP with real
 * timing: each failure shrinks to the few requests that race, and the file written fails again.
 */
describe("stockproof shrink against broken shops (test-control API)", () => {
  let shop: BrokenShop | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await shop?.close();
    shop = undefined;
    cleanup?.();
  });

  const shrinkAgainst = async (options: BrokenShopOptions, scenario: string, klass: ClassId) => {
    shop = await startBrokenShop({ ...options, stockApi: "test-control" });
    const { dir, remove } = scratch();
    cleanup = remove;
    return shrinkToFile(shop.url, dir, scenario, klass, "25s");
  };

  it("a cancel that restores twice shrinks to two cancels of one order", async () => {
    const { written } = await shrinkAgainst(
      { faults: { doubleRestore: true, cancelGapMs: 2 } },
      "races",
      "double-restore",
    );
    const cases = casesOf(written);
    const cancels = cases.filter((c) => c.action.kind === "cancel");
    expect(cancels).toHaveLength(2);
    expect(new Set(cancels.map((c) => c.action.orderKey)).size).toBe(1);
    expect(written.phases[0]?.traffic.rounds).toBe(1);
  }, 60_000);

  it("a paymentOrderId checked by SELECT before INSERT shrinks to two reservations under one id", async () => {
    const { written } = await shrinkAgainst({ ledger: selectThenInsertLedger() }, "races", "lost-update");
    const cases = casesOf(written);
    expect(cases).toHaveLength(2);
    expect(cases.every((c) => c.action.kind === "reserve")).toBe(true);
    expect(new Set(cases.map((c) => c.action.orderKey)).size).toBe(1);
    expect(written.phases[0]?.traffic.rounds).toBe(1);
  }, 60_000);

  it("a cart locking its lines in request order shrinks to two crossed carts", async () => {
    const { written } = await shrinkAgainst(
      { ledger: lockPerLineLedger() },
      "crossed-carts",
      "errors-under-contention",
    );
    const carts = casesOf(written).map((c) => (c.action.kind === "reserve" ? c.action.lines.map((l) => l.sku) : []));
    expect(carts).toHaveLength(2);
    expect(carts[0]).toEqual([...(carts[1] ?? [])].reverse());
    expect(carts[0]).toHaveLength(2);
    expect(written.phases[0]?.traffic.rounds).toBe(1);
  }, 60_000);

  it("a correct server: nothing to shrink, exit 0, no file written", async () => {
    shop = await startBrokenShop({ stockApi: "test-control" });
    const { dir, remove } = scratch();
    cleanup = remove;
    const out = join(dir, "repro.yaml");
    const result = await cli(["shrink", "races", "--target", shop.url, "--out", out, "--no-progress"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Nothing to shrink: no failure class failed in 5 runs of races/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
