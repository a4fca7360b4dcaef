import { describe, expect, it } from "vitest";
import { checkRun } from "../../src/verify/scenario/check/index.js";
import { formatLoadError, parseScenario } from "../../src/verify/scenario/load.js";
import { runModel } from "../../src/verify/scenario/model.js";
import { type PlannedRequest, planRun, requestsOf } from "../../src/verify/scenario/plan.js";
import type { Observation, RunResult } from "../../src/verify/scenario/runner.js";

const ttl = 1000;
const grace = 500;
const yaml = (declared: boolean) => `name: windows
given:
  skus: [{ productStockId: 7, stock: 6 }]
  users: [{ name: buyer, username: buyer@example.com, password: pw }]
  traffic: { shape: burst, rounds: 24 }
${declared ? `  holdTtl: ${ttl}ms\n  expiryGrace: ${grace}ms\n` : ""}when:
  - { name: take, reserve: [{ sku: 7, count: 1 }] }
  - { name: keep, reserve: [{ sku: 7, count: 1 }] }
  - { name: pay, pay: take }
  - { name: drop, cancel: keep }
`;

/** A small deterministic generator, so a failing case can be replayed by its seed. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Where = "earliest" | "latest" | "anywhere";
type Fault = "none" | "pay-after-release" | "cancel-restores-expired";

/**
 * Simulates a server whose holds expire, over the scenario's plan: every request is applied at an
 * instant between its send and its answer, and every hold is released at an instant inside its
 * window (the earliest, the latest, or anywhere) — a correct server may pick any of them.
 */
function simulate(declared: boolean, seed: number, where: Where, fault: Fault = "none"): RunResult {
  return simulateCounting(declared, seed, where, fault).run;
}

/** The run, and how many times the fault changed what the server did. */
function simulateCounting(
  declared: boolean,
  seed: number,
  where: Where,
  fault: Fault,
): { run: RunResult; fired: number } {
  let fired = 0;
  const parsed = parseScenario(yaml(declared), "inline.yaml");
  if (!parsed.ok) throw new Error(formatLoadError(parsed.error));
  const scenario = parsed.value;
  const plan = planRun(scenario, "r1");
  const random = prng(seed);
  const planned = plan.phases[0];
  if (planned === undefined) throw new Error("no phase");
  // Rounds start 100 ms apart; pays and cancels come 0 to 2.2 × TTL after their holds.
  const timed = requestsOf(planned).map((request) => {
    const t0 = request.round * 100;
    const later = request.kind === "reserve" ? 0 : 10 + random() * 2.2 * ttl;
    const sentAt = t0 + request.step * 2 + later;
    const endedAt = sentAt + 1 + random() * 20;
    return { request, sentAt, endedAt, appliedAt: sentAt + random() * (endedAt - sentAt) };
  });
  let available = 6;
  const holds = new Map<string, { units: number; status: "held" | "paid" | "gone"; releaseAt: number }>();
  const answers = new Map<number, Pick<Observation, "status" | "outcome" | "klass">>();
  const ok = { status: 200, outcome: "ok", klass: "ok" } as const;
  const refuse = (code: string) => ({ status: 409, outcome: code, klass: "rejected" }) as const;
  const releaseDue = (t: number) => {
    for (const hold of holds.values()) {
      if (hold.status === "held" && hold.releaseAt <= t) {
        hold.status = "gone";
        available += hold.units;
      }
    }
  };
  for (const { request, sentAt, endedAt, appliedAt } of [...timed].sort((a, b) => a.appliedAt - b.appliedAt)) {
    releaseDue(appliedAt);
    const id = request.paymentOrderId;
    const hold = holds.get(id);
    let answer: Pick<Observation, "status" | "outcome" | "klass">;
    if (request.kind === "reserve") {
      if (available < 1) answer = refuse("OUT_OF_STOCK");
      else {
        available -= 1;
        const opens = Math.max(appliedAt, sentAt + ttl - 50);
        const closes = endedAt + ttl + grace;
        const releaseAt =
          where === "earliest" ? opens : where === "latest" ? closes : opens + random() * (closes - opens);
        holds.set(id, { units: 1, status: "held", releaseAt });
        answer = ok;
      }
    } else if (hold === undefined) answer = { status: 404, outcome: "ORDER_NOT_FOUND", klass: "rejected" };
    else if (request.kind === "pay") {
      if (hold.status === "held") {
        hold.status = "paid";
        answer = ok;
      } else if (fault === "pay-after-release") {
        fired++;
        hold.status = "paid";
        answer = ok;
      } else answer = refuse("ORDER_EXPIRED");
    } else if (hold.status === "held") {
      hold.status = "gone";
      available += 1;
      answer = ok;
    } else {
      if (fault === "cancel-restores-expired" && hold.status === "gone") {
        fired++;
        available += 1;
      }
      answer = ok;
    }
    answers.set(request.seq, answer);
  }
  const settledAt = Math.max(...timed.map((t) => t.endedAt)) + ttl + grace;
  releaseDue(settledAt);
  const observations = timed
    .map(({ request, sentAt, endedAt }): Observation => {
      const answer = answers.get(request.seq) as Pick<Observation, "status" | "outcome" | "klass">;
      return { request: request as PlannedRequest, sentAt, endedAt, ...answer, detail: null };
    })
    .sort((a, b) => a.request.seq - b.request.seq);
  const skus = [
    { productStockId: 7, available, initial: Number.NaN, held: Number.NaN, paid: Number.NaN, invariantHolds: true },
  ];
  const run: RunResult = {
    scenario,
    target: "http://127.0.0.1:1",
    runId: "r1",
    startedAt: "2025-01-01T00:00:00.000Z",
    wallMs: settledAt,
    speed: 1,
    model: runModel(scenario, plan),
    phases: [
      {
        index: 0,
        name: planned.phase.name,
        traffic: planned.phase.traffic,
        spreadMs: null,
        startedAt: 0,
        endedAt: Math.max(...timed.map((t) => t.endedAt)),
        settledAt,
        before: null,
        after: { takenAt: settledAt, invariantHolds: true, skus },
        observations,
      },
    ],
    stockObservation: "snapshot",
    setupError: null,
    timedOut: false,
    stopped: null,
    notes: [],
  };
  return { run, fired };
}

const failing = (run: RunResult) =>
  checkRun(run)
    .checks.filter((c) => c.status === "fail")
    .map((c) => `${c.id}: ${c.summary}`);
const seeds = Array.from({ length: 40 }, (_, i) => i + 1);

describe("judging holds that expire, wherever in its window each hold was released", () => {
  for (const where of ["earliest", "latest", "anywhere"] as const) {
    it(`a correct server releasing at the ${where} instant: no check fails, declared or not`, () => {
      for (const seed of seeds) {
        const declared = simulate(true, seed, where);
        expect({ seed, failing: failing(declared) }).toEqual({ seed, failing: [] });
        // Passes, or (too few pays or cancels across a release window) says it could not have seen it.
        const expiry = checkRun(declared).checks.find((c) => c.id === "hold-expiry");
        if (expiry?.status !== "pass")
          expect({ seed, status: expiry?.status, summary: expiry?.summary }).toEqual({
            seed,
            status: "skip",
            summary: expect.stringMatching(
              /could not have seen .*only \d+ (pay|cancel)s? (was|were) in flight .*at least \d+ needed/,
            ),
          });
        const undeclared = simulate(false, seed, where);
        expect({ seed, failing: failing(undeclared) }).toEqual({ seed, failing: [] });
      }
    });
  }

  for (const [fault, check] of [
    ["pay-after-release", "paid-after-release"],
    ["cancel-restores-expired", "released-twice"],
  ] as const) {
    it(`a server with the fault "${fault}" fails hold expiry (${check}) whenever the fault fired`, () => {
      let fired = 0;
      for (const seed of seeds) {
        const simulated = simulateCounting(true, seed, "anywhere", fault);
        if (simulated.fired === 0) continue;
        fired++;
        const checks = checkRun(simulated.run).violations.map((v) => v.check);
        expect({ seed, caught: checks.includes(check) }).toEqual({ seed, caught: true });
      }
      expect(fired).toBeGreaterThan(seeds.length / 2);
    });
  }
});
