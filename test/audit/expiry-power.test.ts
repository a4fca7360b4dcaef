import { afterEach, describe, expect, it } from "vitest";
import { minAcross, unseenExpiryFaults } from "../../src/scenario/check/expiry-power.js";
import { type BrokenShop, startBrokenShop } from "../helpers/broken-shop.js";
import { type ExpiringShopOptions, expiringShop } from "./servers/expiring-shop.js";
import { audit, devReset, devSnapshot, verdictOf } from "./support.js";

/** The expiry scenario at its full size: its rounds bunch around the release, the power of the class. */
const full = { scale: 1 } as const;

describe("hold expiry judged on pays and cancels landing around the release", () => {
  let shop: BrokenShop | undefined;
  afterEach(async () => {
    await shop?.close();
    shop = undefined;
  });
  const auditExpiry = async (options: ExpiringShopOptions) => {
    shop = await startBrokenShop({ ledger: expiringShop(options), stockApi: "own" });
    const url = shop.url;
    return audit({
      target: url,
      setup: devReset(url),
      snapshot: devSnapshot(url),
      scenarios: ["expiry"],
      holdTtlMs: 3000,
      ...full,
    });
  };

  /*
   * Before: "Hold expiry PASS … none paid after release" — few of the scenario's pays landed within a
   * sweep interval of their hold's release, and a pay with no state guard only shows there.
   */
  it("pay reads the state, spends 30 ms at the gateway, writes PAID unguarded: fails, paid after release", async () => {
    const report = await auditExpiry({ fault: "unguarded-pay", ttlMs: 3000, sweepMs: 100, gatewayMs: 30 });
    const expiry = verdictOf(report, "hold-expiry");
    expect(expiry.verdict).toBe("fail");
    expect(expiry.evidence.join("\n")).toMatch(/SKU 900001 .*paid after release/);
    expect(report.verdict).toBe("fail");
  });

  it("the correct shop with the same TTL and sweep passes, with the pays and cancels across a release counted", async () => {
    const report = await auditExpiry({ fault: "correct", ttlMs: 3000, sweepMs: 100, gatewayMs: 30 });
    const expiry = verdictOf(report, "hold-expiry");
    expect(expiry.verdict).toBe("pass");
    const power = report.scenarios[0]?.phases[0]?.verdict.expiry.power;
    expect(power?.paysAcross).toBeGreaterThanOrEqual(minAcross);
    expect(power?.cancelsAcross).toBeGreaterThanOrEqual(minAcross);
    expect(expiry.evidence.join("\n")).toMatch(/\d+ pays and \d+ cancels in flight across a release window/);
  });

  it("too few pays or cancels across a release window: the fault they catch is named unseen, with the count and the threshold", () => {
    const unseen = unseenExpiryFaults({ closedAtRead: 4, openAtRead: 0, paysAcross: 2, cancelsAcross: 1 });
    expect(unseen).toEqual([
      expect.stringMatching(
        new RegExp(`^paid after release: only 2 pays were in flight .*at least ${minAcross} needed`),
      ),
      expect.stringMatching(new RegExp(`^released twice: only 1 cancel was in flight .*at least ${minAcross} needed`)),
    ]);
    expect(unseenExpiryFaults({ closedAtRead: 4, openAtRead: 0, paysAcross: minAcross, cancelsAcross: 9 })).toEqual([]);
  });
});
