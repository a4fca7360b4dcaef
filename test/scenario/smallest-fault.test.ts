import { describe, expect, it } from "vitest";
import { availableOnlySnapshot } from "../../src/verify/history/stock-observer.js";
import { maxGapCaughtMs, noPower, unseenExpiryFaults } from "../../src/verify/scenario/check/expiry-power.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { expiryFault } from "../../src/verify/scenario/check/power.js";
import { formatLoadError, parseScenario } from "../../src/verify/scenario/load.js";
import { runModel } from "../../src/verify/scenario/model.js";
import { planRun, requestsOf } from "../../src/verify/scenario/plan.js";
import type { Observation, RunResult } from "../../src/verify/scenario/runner.js";

const scenario = (stock: number, rounds: number, when: string) => `name: small
given:
  skus: [{ productStockId: 311191, stock: ${stock} }]
  users: [{ name: buyer, username: buyer@example.com, password: pw }]
  traffic: { shape: burst, rounds: ${rounds} }
when:
${when}
`;
const take = "  - { name: take, reserve: [{ sku: 311191, count: 1 }] }";

/**
 * A run answered as the model predicts, the final stock read as the model ends it. `together`: every
 * request in flight at once (a race reached), else each sent after the one before was answered.
 */
function modelled(yaml: string, options: { together: boolean; read?: boolean; lost?: number }): RunResult {
  const parsed = parseScenario(yaml, "small.yaml");
  if (!parsed.ok) throw new Error(formatLoadError(parsed.error));
  const plan = planRun(parsed.value, "r1");
  const model = runModel(parsed.value, plan);
  let lost = options.lost ?? 0;
  const phases = plan.phases.map((planned) => {
    const observations = requestsOf(planned).map((request): Observation => {
      const expected = model.expected[request.seq];
      const at = options.together ? 0 : request.seq * 2;
      const answer = { request, sentAt: at, endedAt: at + 1, detail: null };
      if (expected?.outcome === "ok" && request.kind === "reserve" && lost > 0) {
        lost--;
        return { ...answer, status: null, outcome: "TIMEOUT", klass: "timeout" };
      }
      const ok = expected?.outcome === "ok";
      return {
        ...answer,
        status: expected?.status ?? null,
        outcome: expected?.outcome ?? "",
        klass: ok ? "ok" : "rejected",
      };
    });
    const final = model.phases[planned.index]?.final ?? {};
    return {
      index: planned.index,
      name: planned.phase.name,
      traffic: planned.phase.traffic,
      spreadMs: null,
      startedAt: 0,
      endedAt: 1000,
      before: null,
      after:
        options.read === false
          ? null
          : availableOnlySnapshot(new Map(Object.entries(final).map(([k, v]) => [Number(k), v])), 1000),
      observations,
    };
  });
  return {
    scenario: parsed.value,
    target: "http://127.0.0.1:1",
    runId: "r1",
    startedAt: "2025-01-01T00:00:00.000Z",
    wallMs: 1000,
    speed: 1,
    model,
    phases,
    stockObservation: options.read === false ? "none" : "snapshot",
    setupError: null,
    timedOut: false,
    stopped: null,
    notes: [],
  };
}

const smallest = (result: RunResult) =>
  Object.fromEntries(checkRun(result).power.smallest.map((f) => [f.fault, f.text]));

describe("the smallest fault a run could have seen, per class", () => {
  it("names a one-unit fault when 12 reservations raced for 5 units and the stock was read", () => {
    expect(smallest(modelled(scenario(5, 12, take), { together: true }))).toEqual({
      oversell: "an oversell of 1 unit on SKU 311191",
      "lost-update": "a lost update of 1 unit on SKU 311191",
      "double-restore": "none: no cancel was accepted",
      "paid-and-cancelled": "none: no order was sent both a pay and a cancel",
      "errors-under-contention": "one 5xx answer",
      timeouts: "one request left without an answer",
      "wrong-rejection": "one reservation refused while its stock sufficed",
      ownership: "none: no user paid or cancelled another user's order",
      "hold-expiry": "none: no hold TTL declared (--hold-ttl)",
    });
  });

  it("says none, contention not reached, when the reservations were answered one by one", () => {
    const faults = smallest(modelled(scenario(5, 12, take), { together: false }));
    expect(faults.oversell).toBe(
      "none: contention not reached: no two reservations of SKU 311191 were in flight together (peak 1)",
    );
    expect(faults["lost-update"]).toMatch(/^none: contention not reached: no two writes of one SKU/);
  });

  it("says none when indeterminate reservations hide more units than a lost update could show", () => {
    const faults = smallest(modelled(scenario(50, 40, take), { together: true, lost: 37 }));
    expect(faults["lost-update"]).toBe("none: 37 indeterminate requests hide up to 37 units of SKU 311191");
    expect(faults["wrong-rejection"]).toBe(
      "one reservation refused while its stock sufficed (beyond the 37 units of SKU 311191 indeterminate requests hide)",
    );
  });

  it("says none when the final stock was not read", () => {
    const faults = smallest(modelled(scenario(5, 12, take), { together: true, read: false }));
    expect(faults["lost-update"]).toBe("none: the final stock was not read");
    expect(faults["double-restore"]).toBe("none: the final stock was not read");
  });

  it("names a second restore and a pay raced with a cancel when orders were cancelled", () => {
    const when = `${take}\n  - { name: pay, pay: take }\n  - { name: cancel, cancel: take }`;
    const faults = smallest(modelled(scenario(5, 3, when), { together: false }));
    expect(faults["double-restore"]).toBe("none: no cancel was accepted");
    expect(faults["paid-and-cancelled"]).toBe("one order both paid and cancelled");
    const cancelled = smallest(
      modelled(scenario(5, 3, `${take}\n  - { name: cancel, cancel: take }`), { together: false }),
    );
    expect(cancelled["double-restore"]).toBe("a second restore of 1 unit on SKU 311191");
  });

  it("says which expiry faults a declared TTL's run could show, and why none when it could show none", () => {
    expect(expiryFault({ ...noPower, closedAtRead: 3, paysAcross: 5, gapCaughtMs: 12 }).text).toBe(
      "one of: a hold never released, a pay accepted after its hold's release",
    );
    // The same rule as the verdict's: 2 pays across a release, or a 51 ms gap, cannot show a paid-after-release
    // (before, this line named it while the class said "could not have seen paid after release").
    for (const power of [
      { ...noPower, closedAtRead: 3, paysAcross: 2, gapCaughtMs: 12 },
      { ...noPower, closedAtRead: 3, paysAcross: 5, gapCaughtMs: maxGapCaughtMs + 1 },
    ]) {
      expect(expiryFault(power).text).toBe("one of: a hold never released");
      expect(unseenExpiryFaults(power)[0]).toMatch(/^paid after release: /);
    }
    expect(expiryFault({ ...noPower, cancelsAcross: 4 }).text).toMatch(/^none: .*released twice: only 4 cancels/);
    expect(expiryFault({ ...noPower, cancelsAcross: 5 }).text).toBe("one of: a hold released twice");
    expect(expiryFault({ ...noPower, openAtRead: 4 }).text).toBe(
      "none: never released: the stock was read while all 4 unpaid holds' release windows were still open (read it after TTL + grace); paid after release: no pay was in flight while its hold's release window was open; released twice: no cancel was in flight while its hold's release window was open",
    );
  });
});
