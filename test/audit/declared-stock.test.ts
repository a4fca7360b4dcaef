import { afterEach, describe, expect, it } from "vitest";
import { type RunningReference, startReference } from "../helpers/reference.js";
import { audit, verdictOf } from "./support.js";

describe("stockproof audit on declared stock (no test-control API, no --setup)", () => {
  let ref: RunningReference | undefined;
  afterEach(async () => {
    await ref?.close();
    ref = undefined;
  });

  it("runs on the stock an operator set, and starts a later phase from the stock the probe saw", async () => {
    ref = await startReference({ adminKey: null });
    // The operator sets seed-3-1's given stock (50 at scale 1 → 10 at the test scale) by hand.
    ref.reference.service.setStock([{ productStockId: 311191, quantity: 10 }]);
    const report = await audit({ target: ref.url, scenarios: ["seed-3-1"] });
    expect(report.stockSetup).toMatch(/^declared/);
    expect(report.classes.filter((c) => c.verdict === "fail")).toEqual([]);
    // seed-3-1 sends no cancel and no foreign order: those classes could not have failed, so they
    // are not judged, each naming the scenario that tests it — never a PASS that could not fail.
    for (const c of report.classes.filter((k) => k.verdict !== "pass")) {
      expect(c.verdict).toBe("unjudged");
      expect(c.evidence.join(" ")).toMatch(/could not have seen a fault: .* — scenario [\w-]+ tests it/);
    }
    expect(verdictOf(report, "oversell").verdict).toBe("pass");
    const [first, second] = report.scenarios[0]?.phases ?? [];
    expect(first?.verdict.stock[0]).toMatchObject({ initial: 10, observed: 0 });
    // Nothing reset the stock: the second phase is judged from the 0 units observed, so its
    // refusals are all justified rather than "wrong rejections" against the given 10.
    expect(second?.verdict.stock[0]).toMatchObject({ initial: 0, reserved: 0, observed: 0 });
    expect(second?.notes.join(" ")).toMatch(/started from the stock observed after the previous phase/);
    expect(verdictOf(report, "wrong-rejection").verdict).toBe("pass");
  });

  it("leaves conservation unjudged, and the audit not judged (not failed), when final stock cannot be observed", async () => {
    ref = await startReference({ adminKey: null });
    ref.reference.service.setStock([{ productStockId: 800001, quantity: 200 }]);
    const report = await audit({ target: ref.url, scenarios: ["contention"], probe: false });
    expect(report.stockObservation).toBe("not observed");
    expect(verdictOf(report, "lost-update").verdict).toBe("unjudged");
    expect(verdictOf(report, "double-restore").verdict).toBe("unjudged");
    // 1000 reservations on 1000 units (scaled): none could be oversold, so oversell is not judged either.
    expect(verdictOf(report, "oversell").verdict).toBe("unjudged");
    expect(verdictOf(report, "oversell").evidence.join(" ")).toMatch(/no SKU was asked for more units than it had/);
    // No class failed: NOT JUDGED (exit 3), never FAIL on a server nothing was found wrong with.
    expect(report.verdict).toBe("not-judged");
  });
});
