import { afterEach, describe, expect, it } from "vitest";
import { poolExhaustionLedger } from "../helpers/broken-shop/pool-exhaustion.js";
import { sqliteBusyLedger } from "../helpers/broken-shop/sqlite-busy.js";
import { type BrokenShop, type BrokenShopOptions, startBrokenShop } from "../helpers/broken-shop.js";
import { audit, devReset, devSnapshot, verdictOf, verdicts } from "./support.js";

describe("stockproof audit against deliberately wrong servers (no test-control API; --setup resets stock)", () => {
  let shop: BrokenShop | undefined;
  afterEach(async () => {
    await shop?.close();
    shop = undefined;
  });
  // Only the shop's own PUT/GET /dev/stock: no test-control API, as on a team's server.
  const start = async (options: BrokenShopOptions) => {
    shop = await startBrokenShop({ ...options, stockApi: "own" });
    return shop.url;
  };

  it("read-check-write: fails oversell and conservation, and nothing it does not do", async () => {
    const url = await start({ faults: { oversell: true } });
    const report = await audit({ target: url, setup: devReset(url) });
    expect(report.verdict).toBe("fail");
    expect(report.stockObservation).toMatch(/probe/);
    const oversell = verdictOf(report, "oversell");
    expect(oversell.verdict).toBe("fail");
    expect(oversell.failedIn).toContain("seed-3-1");
    expect(oversell.evidence.join("\n")).toMatch(/SKU 311191 oversold/);
    expect(oversell.requests.length).toBeGreaterThan(0);
    expect(verdictOf(report, "lost-update").verdict).toBe("fail");
    expect(verdictOf(report, "lost-update").evidence.join("\n")).toMatch(/final \d+, expected/);
    expect(verdictOf(report, "errors-under-contention").verdict).toBe("pass");
    expect(verdictOf(report, "timeouts").verdict).toBe("pass");
  });

  it("unguarded cancel: fails double restore (stock read by the --snapshot command)", async () => {
    const url = await start({ faults: { doubleRestore: true } });
    const report = await audit({
      target: url,
      setup: devReset(url),
      snapshot: devSnapshot(url),
      scenarios: ["crossed-carts", "races", "seed-3-1"],
    });
    expect(report.stockObservation).toMatch(/--snapshot command/);
    expect(verdicts(report)).toMatchObject({
      oversell: "pass",
      "double-restore": "fail",
      "errors-under-contention": "pass",
      "wrong-rejection": "pass",
    });
    const restore = verdictOf(report, "double-restore");
    expect(restore.failedIn).toContain("races");
    expect(restore.evidence.join("\n")).toMatch(/SKU 800001 has \d+ units more than conservation allows/);
  });

  /*
   * Before: with a gap long enough for pays to land in it, the excess was more than repeated cancels
   * alone explain, and it was named a lost update: "Lost update / conservation FAIL … 103 units more
   * … more than the 100 units repeated cancels could have put back", "Double restore PASS".
   */
  it("unguarded cancel with a gap pays land in: fails double restore, naming the orders, not lost update", async () => {
    const url = await start({ faults: { doubleRestore: true, cancelGapMs: 4, gatewayMs: 1 } });
    const report = await audit({ target: url, setup: devReset(url), snapshot: devSnapshot(url), scenarios: ["races"] });
    expect(verdicts(report)).toMatchObject({ "double-restore": "fail", "paid-and-cancelled": "fail" });
    expect(verdictOf(report, "lost-update").verdict).not.toBe("fail");
    const said = verdictOf(report, "double-restore").evidence.join("\n");
    expect(said).toMatch(/\d+ orders had two or more cancels answered 200 \(\S+/);
  });

  /*
   * Before: read-then-write stock with no pays in the scenarios: "Oversell UNJUDGED … holds appear to
   * expire within about 363ms … Declare the server's hold TTL with --hold-ttl", and no way to say the
   * server has none (--hold-ttl 30d would wait 30 days).
   */
  it("read-then-write stock, declared never to expire holds: fails, not put down to expiry", async () => {
    const url = await start({ faults: { oversell: true, roundTripMs: 2 } });
    const scenarios = ["contention", "crossed-carts"];
    const report = await audit({
      target: url,
      setup: devReset(url),
      snapshot: devSnapshot(url),
      scenarios,
      holdTtlMs: "never",
    });
    expect(verdictOf(report, "lost-update").verdict).toBe("fail");
    expect(report.verdict).toBe("fail");
    const said = report.classes.flatMap((c) => c.evidence).join("\n");
    expect(said).not.toMatch(/holds appear to expire/);
  });

  it("retry on a unique key with a small pool: fails errors under contention with the server's POOL_TIMEOUT", async () => {
    const url = await start({ ledger: poolExhaustionLedger() });
    const report = await audit({ target: url, setup: devReset(url), scenarios: ["contention", "races"] });
    const errors = verdictOf(report, "errors-under-contention");
    expect(errors.verdict).toBe("fail");
    expect(errors.failedIn).toContain("contention");
    expect(errors.evidence.join("\n")).toMatch(/500 POOL_TIMEOUT ×\d+/);
    expect(errors.requests[0]?.outcome).toMatch(/POOL_TIMEOUT|DUPLICATE_KEY/);
    // The failed reservations were rolled back: stock is still conserved. No SKU was asked for more
    // than it had, so an oversell could not have shown: not judged, never a PASS.
    expect(verdicts(report)).toMatchObject({ oversell: "unjudged", "lost-update": "pass" });
  });

  it("deferred SQLite transactions on crossed carts: fails errors under contention with SQLITE_BUSY", async () => {
    const url = await start({ ledger: sqliteBusyLedger() });
    const report = await audit({ target: url, setup: devReset(url), scenarios: ["crossed-carts"] });
    const errors = verdictOf(report, "errors-under-contention");
    expect(errors.verdict).toBe("fail");
    expect(errors.failedIn).toEqual(["crossed-carts"]);
    expect(errors.evidence.join("\n")).toMatch(/500 SQLITE_BUSY/);
    // The 500s may have applied: they hide units of stock, so a lost update could not have shown.
    expect(verdicts(report)).toMatchObject({ oversell: "pass", "lost-update": "unjudged", ownership: "pass" });
    expect(verdictOf(report, "lost-update").evidence.join(" ")).toMatch(
      /indeterminate requests? hide up to \d+ units?/,
    );
  });

  it("a correct server with its own status codes passes, its codes listed as divergences", async () => {
    const url = await start({
      codes: {
        notFound: { status: 404, code: "NO_SUCH_ORDER" },
        foreignOrder: { status: 403, code: "FORBIDDEN" },
        unknownSku: { status: 409, code: "UNKNOWN_PRODUCT" },
        duplicate: { status: 409, code: "DUPLICATE_ORDER" },
        repeatCancel: { status: 409, code: "ALREADY_CANCELLED" },
      },
    });
    const report = await audit({
      target: url,
      setup: devReset(url),
      scenarios: ["contention", "crossed-carts", "races", "seed-3-1"],
    });
    expect(report.classes.filter((c) => c.verdict !== "pass")).toEqual([]);
    expect(report.verdict).toBe("pass");
    const seen = report.divergences.map((d) => `${d.kind} ${d.observed} ← ${d.reference}`);
    expect(seen).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^cancel 409 ALREADY_CANCELLED ← 200/),
        expect.stringMatching(/^cancel 403 FORBIDDEN ← 404 ORDER_NOT_FOUND/),
      ]),
    );
    const strict = await audit({ target: url, setup: devReset(url), scenarios: ["races"], strict: true });
    // races alone judges no oversell or ownership (it could not have seen one); nothing fails but --strict.
    expect(strict.classes.filter((c) => c.verdict === "fail")).toEqual([]);
    expect(verdictOf(strict, "double-restore").verdict).toBe("pass");
    expect(strict.verdict).toBe("fail");
  });
});
