import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runOptionsFrom } from "../../src/cli/run.js";
import type { AuditReport } from "../../src/verify/audit/audit.js";
import { scaleScenario } from "../../src/verify/audit/sizes.js";
import { formatAuditText } from "../../src/verify/report/audit/text.js";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { loadScenario } from "../../src/verify/scenario/load.js";
import { aroundRelease } from "../../src/verify/scenario/plan.js";
import { runScenario } from "../../src/verify/scenario/runner.js";
import { holdExpiry, type Scenario } from "../../src/verify/scenario/types.js";
import { type BrokenShop, startBrokenShop } from "../helpers/broken-shop.js";
import { type SpawnedReference, spawnReference, tempDir } from "../helpers/reference.js";
import { type ExpiringShopOptions, expiringShop } from "./servers/expiring-shop.js";
import {
  audit,
  devReset,
  devSnapshot,
  lackedOnlyPower,
  notPassed,
  notPassedOnAnyMachine,
  verdictOf,
  verdicts,
} from "./support.js";

function load(name: string): Scenario {
  const loaded = loadScenario(name);
  if (!loaded.ok) throw new Error(`${name} does not load`);
  return loaded.value;
}

/** Short holds keep the tests bounded: the runner waits ttl + grace before each final observation. */
const ttlMs = 500;
const expiryEvidence = (report: AuditReport) => verdictOf(report, "hold-expiry").evidence.join("\n");

describe("stockproof audit against servers whose holds expire, and servers that replay reservations", () => {
  let shop: BrokenShop | undefined;
  afterEach(async () => {
    await shop?.close();
    shop = undefined;
  });
  const start = async (options: ExpiringShopOptions) => {
    shop = await startBrokenShop({ ledger: expiringShop(options), stockApi: "own" });
    return shop.url;
  };
  /** The expiry scenario audited against a shop with the shop's own reset and snapshot, at a declared TTL. */
  const auditExpiry = async (options: ExpiringShopOptions, holdTtlMs: number) => {
    const url = await start(options);
    return audit({ target: url, setup: devReset(url), snapshot: devSnapshot(url), scenarios: ["expiry"], holdTtlMs });
  };

  it("a correct server with short holds, TTL undeclared: says holds appear to expire, fails nothing it did right", async () => {
    const url = await start({ fault: "correct", ttlMs });
    const report = await audit({
      target: url,
      setup: devReset(url),
      snapshot: devSnapshot(url),
      scenarios: ["seed-3-2"],
    });
    const v = verdicts(report);
    // seed-3-2's unpaid holds of B expire mid-run: before, oversell and lost update FAILed here.
    expect(v.oversell).not.toBe("fail");
    expect(v["lost-update"]).not.toBe("fail");
    expect(v["double-restore"]).not.toBe("fail");
    expect(v.oversell).toBe("unjudged");
    expect(v["hold-expiry"]).toBe("unjudged");
    const said = verdictOf(report, "oversell").evidence.join("\n");
    expect(said).toMatch(/holds appear to expire/);
    expect(said).toMatch(/--hold-ttl/);
    expect(report.classes.filter((c) => c.verdict === "fail")).toEqual([]);
    // Before: "Verdict: FAIL — 6 of 9 classes pass", exit 1, with no class failed.
    expect(report.verdict).toBe("not-judged");
    expect(formatAuditText(report, new Map())).toMatch(/^Verdict: NOT JUDGED — \d+ of \d+ classes pass/m);
  });

  it("the same server with --hold-ttl: every class it could judge passes, hold expiry included", async () => {
    const url = await start({ fault: "correct", ttlMs });
    const report = await audit({
      target: url,
      setup: devReset(url),
      snapshot: devSnapshot(url),
      scenarios: ["seed-3-2", "expiry"],
      holdTtlMs: ttlMs,
    });
    expect(notPassedOnAnyMachine(report)).toEqual([]);
    expect(verdictOf(report, "hold-expiry").judgedIn).toEqual(["seed-3-2", "expiry"]);
    // PASS; on a starved machine, NOT JUDGED naming only the power it lacked.
    expect(
      verdictOf(report, "hold-expiry").verdict === "pass" || lackedOnlyPower(verdictOf(report, "hold-expiry")),
    ).toBe(true);
    // Neither scenario asks for more units than there are: oversell could not have failed.
    expect(report.verdict).toBe("not-judged");
  });

  it("pay without a state guard across the expiry: fails hold expiry, paid after release", async () => {
    const report = await auditExpiry({ fault: "unguarded-pay", ttlMs, gatewayMs: 300 }, ttlMs);
    expect(verdicts(report)).toMatchObject({ "hold-expiry": "fail", oversell: "unjudged", "lost-update": "pass" });
    expect(expiryEvidence(report)).toMatch(/SKU 900001 .*paid after release/);
    expect(expiryEvidence(report)).not.toMatch(/released twice/);
    expect(verdictOf(report, "hold-expiry").requests.some((r) => r.kind === "pay")).toBe(true);
  });

  it("a cancel that restores an expired hold again: fails hold expiry, released twice", async () => {
    const report = await auditExpiry({ fault: "double-restore", ttlMs }, ttlMs);
    expect(verdicts(report)).toMatchObject({ "hold-expiry": "fail", oversell: "unjudged", "lost-update": "pass" });
    expect(expiryEvidence(report)).toMatch(/SKU 900002 .*released twice/);
    expect(expiryEvidence(report)).not.toMatch(/paid after release/);
  });

  it("a sweeper that never runs: fails hold expiry, never released", async () => {
    const report = await auditExpiry({ fault: "never-sweeps", ttlMs }, ttlMs);
    expect(verdicts(report)).toMatchObject({ "hold-expiry": "fail", oversell: "unjudged", "lost-update": "pass" });
    expect(expiryEvidence(report)).toMatch(/still has \d+ units held .*never released/);
  });

  it("a stock read before the release windows closed cannot pass hold expiry on a server that never releases", async () => {
    const report = await auditExpiry({ fault: "never-sweeps", ttlMs }, ttlMs);
    const phase = report.scenarios[0]?.phases[0];
    const run = phase?.result.phases[0];
    if (phase === undefined || run === undefined) throw new Error("the expiry phase did not run");
    const ttl = phase.result.scenario.holdTtl;
    if (ttl === null) throw new Error("no TTL");
    // The read the old wait gave under a timer that woke early: before the holds' windows closed.
    const firstClose = run.observations
      .filter((o) => o.request.kind === "reserve" && o.klass === "ok")
      .reduce((m, o) => Math.min(m, (o.endedAt ?? 0) + ttl.ttlMs + ttl.graceMs), Number.POSITIVE_INFINITY);
    const early = checkRun({ ...phase.result, phases: [{ ...run, settledAt: firstClose - 0.5 }] });
    const check = early.checks.find((c) => c.id === "hold-expiry");
    expect(check?.status).toBe("skip");
    expect(check?.summary).toMatch(
      /never released: the stock was read while all \d+ unpaid holds' release windows were still open/,
    );
    expect(early.expiry.power).toMatchObject({ closedAtRead: 0 });
  });

  it("a server releasing holds before the declared TTL: fails hold expiry, released early", async () => {
    const report = await auditExpiry({ fault: "correct", ttlMs: 300, sweepMs: 50 }, 1000);
    // The expiry scenario pays and cancels separate orders: paid-and-cancelled could not show, so it is not judged.
    expect(verdicts(report)).toMatchObject({ "hold-expiry": "fail", "paid-and-cancelled": "unjudged" });
    expect(expiryEvidence(report)).toMatch(/refused \(409 ORDER_EXPIRED\) \d+ ms after .*released early/);
  });

  it("idempotent replays of a reservation pass with a snapshot, and are unjudged without final stock", async () => {
    const url = await start({ fault: "replay", ttlMs: null });
    const report = await audit({ target: url, setup: devReset(url), snapshot: devSnapshot(url), scenarios: ["races"] });
    // Before: "Lost update / conservation FAIL — paymentOrderId … was reserved 2 times".
    expect(notPassed(report)).toEqual([]);
    expect(report.divergences.map((d) => `${d.kind} ${d.observed} ← ${d.reference}`)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^reserve 200 ok ← 409 DUPLICATE_PAYMENT_ORDER/)]),
    );
    const blind = await audit({ target: url, setup: devReset(url), probe: false, scenarios: ["races"] });
    expect(verdictOf(blind, "lost-update").verdict).toBe("unjudged");
    expect(verdictOf(blind, "lost-update").evidence.join("\n")).toMatch(
      /cannot be told from a duplicate hold|final stock was not observed/,
    );
  });

  it("a server that takes stock twice under one paymentOrderId fails lost update", async () => {
    const url = await start({ fault: "replay-takes-twice", ttlMs: null });
    const report = await audit({ target: url, setup: devReset(url), snapshot: devSnapshot(url), scenarios: ["races"] });
    const lost = verdictOf(report, "lost-update");
    expect(lost.verdict).toBe("fail");
    expect(lost.evidence.join("\n")).toMatch(/stock was taken twice under one paymentOrderId/);
  });

  it("a --snapshot that reads a lagging replica is read until it settles, not called a lost update", async () => {
    const url = await start({ fault: "correct", ttlMs: null });
    const temp = tempDir();
    try {
      const script = fileURLToPath(new URL("./servers/lagging-snapshot.mjs", import.meta.url));
      const lagging = `node ${script} ${url} ${temp.dir}/replica.json`;
      const report = await audit({ target: url, setup: devReset(url), snapshot: lagging, scenarios: ["races"] });
      expect(notPassed(report)).toEqual([]);
      const notes = report.scenarios.flatMap((s) => s.phases.flatMap((p) => p.notes));
      expect(notes.join("\n")).toMatch(
        /--snapshot settled after \d+ reads \(\d+ ms\): it changed 1 time after the requests ended/,
      );
    } finally {
      temp.remove();
    }
  });
});

describe("stockproof audit against the reference with serve --hold-ttl", () => {
  let ref: SpawnedReference | undefined;
  const temp = tempDir();
  beforeAll(async () => {
    ref = await spawnReference(["--db", `${temp.dir}/ref.db`, "--hold-ttl", "1s"]);
  });
  afterAll(async () => {
    await ref?.stop();
    temp.remove();
  });

  it("passes every class it could judge, hold expiry included, through its test-control API", async () => {
    const url = (ref as SpawnedReference).url;
    const report = await audit({ target: url, scenarios: ["expiry", "races"], holdTtlMs: 1000 });
    // Every class passes; on a starved machine hold expiry may instead name the power it lacked
    // (seen 1 in 10 runs beside two CPU burners: "no pay was sent for 68 ms during the release").
    expect(notPassedOnAnyMachine(report)).toEqual([]);
    // Pays after the expiry were refused with the reference's own code.
    const refused = report.scenarios
      .flatMap((s) => s.phases.flatMap((p) => p.result.phases.flatMap((r) => r.observations)))
      .filter((o) => o.request.kind === "pay" && o.outcome === "ORDER_EXPIRED");
    expect(refused.length).toBeGreaterThan(0);
  });

  it("run, TTL undeclared: seed-3-2's expired holds are said, not called oversell or lost update", async () => {
    const url = (ref as SpawnedReference).url;
    const result = await runScenario(scaleScenario(load("seed-3-2"), 0.2), { target: url, speed: 300 });
    const checks = Object.fromEntries(checkRun(result).checks.map((c) => [c.id, c]));
    expect(checks.oversell?.status).not.toBe("fail");
    expect(checks.conservation?.status).not.toBe("fail");
    expect(checks["hold-expiry"]?.status).toBe("skip");
    expect(checks["hold-expiry"]?.summary).toMatch(/holds appear to expire .*--hold-ttl/);
    expect(checkRun(result).checks.filter((c) => c.status === "fail")).toEqual([]);
    // Not a pass either: the run says it could not judge, and how to declare the TTL (exit 3).
    expect(checkRun(result).verdict).toBe("not-judged");
    expect(checkRun(result).notJudged?.fix).toMatch(/--hold-ttl/);
  });

  it("run --hold-ttl 1s: the expiry scenario passes, final stock = initial − paid", async () => {
    const url = (ref as SpawnedReference).url;
    const options = runOptionsFrom({ scenario: "expiry", target: url, "hold-ttl": "1s", "expiry-grace": "1.5s" });
    expect(options).toMatchObject({ holdTtlMs: 1000, expiryGraceMs: 1500 });
    const result = await runScenario(scaleScenario(load("expiry"), 0.2), options);
    const verdict = checkRun(result);
    expect(verdict.checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(verdict.checks.find((c) => c.id === "hold-expiry")).toMatchObject({ status: "pass" });
    const paid = result.phases[0]?.observations.filter((o) => o.request.kind === "pay" && o.klass === "ok").length ?? 0;
    const row = verdict.stock.find((r) => r.sku === 900001);
    expect(row?.observed).toBe((row?.initial ?? 0) - 2 * paid);
  });
});

describe("--hold-ttl and --expiry-grace", () => {
  it("are durations within the reference's bounds, named when wrong", () => {
    const base = { scenario: "expiry", target: "http://127.0.0.1:1" };
    expect(() => runOptionsFrom({ ...base, "hold-ttl": "50ms" })).toThrow(/--hold-ttl/);
    expect(() => runOptionsFrom({ ...base, "hold-ttl": "soon" })).toThrow(/--hold-ttl/);
    expect(() => runOptionsFrom({ ...base, "expiry-grace": "-1s" })).toThrow(/--expiry-grace/);
  });

  it("the expiry scenario's waits follow the declared TTL and grace, bunched around the release", () => {
    const expiry = load("expiry");
    expect(expiry.holdTtl).toMatchObject({ ttlMs: 2000 });
    const wait = expiry.round.find((s) => s.wait)?.wait;
    expect(wait).toEqual({ from: -1, to: 1, unit: "release" });
    const ttl = holdExpiry(3000, 2000);
    const rounds = expiry.phases[0]?.traffic.rounds ?? 0;
    const waits = Array.from({ length: rounds }, (_, r) => aroundRelease(ttl, wait ?? { from: 0, to: 0 }, r, rounds));
    expect(waits[0]).toBe(1000);
    expect(waits.at(-1)).toBe(5000);
    // Before: spread linearly from 0.25 to 2 TTL, a pay or two within a 100 ms sweep of the release.
    expect(waits.filter((w) => Math.abs(w - 3000) <= 100).length).toBeGreaterThanOrEqual(rounds / 3);
  });
});
