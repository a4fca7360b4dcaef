/**
 * @module
 * Expands a scenario into every request of the run before it starts: rounds, steps, users, order ids.
 */

import { createOrderIds } from "./ids.js";
import type { HoldExpiry, Phase, ReserveLine, Scenario, ScenarioUser } from "./types.js";

/** One request the runner will send, fully determined before the run starts. */
export interface PlannedRequest {
  /** Position in the whole run, from 0. */
  readonly seq: number;
  readonly phase: number;
  readonly round: number;
  readonly step: number;
  readonly caseName: string;
  readonly kind: "reserve" | "pay" | "cancel";
  readonly user: ScenarioUser;
  readonly paymentOrderId: string;
  /** Reserve only; empty for pay and cancel. */
  readonly lines: readonly ReserveLine[];
  readonly raced: boolean;
}

export interface PlannedRound {
  readonly phase: number;
  readonly round: number;
  /** Steps in order; the requests of one step are fired together. */
  readonly steps: readonly (readonly PlannedRequest[])[];
  /** Per step: milliseconds to pause before it (a `wait` step of the scenario), 0 for none. */
  readonly waits: readonly number[];
}

export interface PlannedPhase {
  readonly index: number;
  readonly phase: Phase;
  readonly rounds: readonly PlannedRound[];
}

export interface Plan {
  readonly runId: string;
  readonly phases: readonly PlannedPhase[];
  readonly requestCount: number;
}

/** What a recorded history sent, by plan position; undefined where it recorded nothing. */
export interface Recorded {
  /** The id an order was sent with, asked by the case that opened the order. */
  readonly id?: (phase: number, round: number, caseName: string) => string | undefined;
  /** The username a request was sent as. */
  readonly user?: (phase: number, round: number, caseName: string) => string | undefined;
  /** When a request was sent (the history's clock): a `together` step's cases are planned in that order. */
  readonly sentAt?: (phase: number, round: number, caseName: string) => number | undefined;
}

/**
 * Expands the scenario into every request of the run: rounds × steps, users round-robin, fresh
 * order ids — or, re-planning a recorded history, the ids and users it recorded, so the model
 * predicts what was really sent (an engine may send every round as one user) and a million
 * requests need no copy.
 */
export function planRun(scenario: Scenario, runId: string, recorded: Recorded = {}): Plan {
  const nextId = createOrderIds(scenario.request.orderIdPrefix, runId);
  // The case that opens each order: its recorded id is the order's.
  const opener = new Map<string, string>();
  for (const step of scenario.round)
    for (const c of step.cases) if (!opener.has(c.action.orderKey)) opener.set(c.action.orderKey, c.name);
  const usersByName = new Map(scenario.users.map((u) => [u.name, u]));
  const usersByUsername = new Map(scenario.users.map((u) => [u.username, u]));
  const sentAs = (planned: ScenarioUser, username: string | undefined): ScenarioUser =>
    username === undefined || username === planned.username
      ? planned
      : (usersByUsername.get(username) ?? { ...planned, username });
  const sentAt = recorded.sentAt;
  let seq = 0;
  let roundNumber = 0;
  const phases = scenario.phases.map((phase, index): PlannedPhase => {
    const rounds: PlannedRound[] = [];
    for (let round = 0; round < phase.traffic.rounds; round++) {
      const roundUser = scenario.users[roundNumber++ % scenario.users.length] as ScenarioUser;
      const ids = new Map<string, string>();
      const idFor = (key: string) => {
        let id = ids.get(key);
        if (id === undefined) {
          id = recorded.id?.(index, round, opener.get(key) ?? key) ?? nextId();
          ids.set(key, id);
        }
        return id;
      };
      const steps = scenario.round.map((step) =>
        togetherOrder(step.cases, round, sentAt === undefined ? undefined : (name) => sentAt(index, round, name)).map(
          (c): PlannedRequest => ({
            seq: seq++,
            phase: index,
            round,
            step: c.step,
            caseName: c.name,
            kind: c.action.kind,
            user: sentAs(
              c.user === null ? roundUser : (usersByName.get(c.user) ?? roundUser),
              recorded.user?.(index, round, c.name),
            ),
            paymentOrderId: idFor(c.action.orderKey),
            lines: c.action.kind === "reserve" ? c.action.lines : [],
            raced: c.raced,
          }),
        ),
      );
      const n = phase.traffic.rounds;
      const waits = scenario.round.map((step) => {
        if (step.wait === null || step.wait === undefined) return 0;
        if (step.wait.unit === "release") return aroundRelease(scenario.holdTtl ?? null, step.wait, round, n);
        const scale = step.wait.unit === "ttl" ? (scenario.holdTtl?.ttlMs ?? 0) : 1;
        return scale * (step.wait.from + ((step.wait.to - step.wait.from) * round) / Math.max(1, n - 1));
      });
      rounds.push({ phase: index, round, steps, waits });
    }
    return { index, phase, rounds };
  });
  return { runId, phases, requestCount: seq };
}

/**
 * The order a step's cases go out in. Fired together, they go out listed in even rounds and
 * reversed in odd ones: the first sent is usually the first served, and a pay racing a cancel must
 * also meet a cancel that got there first (a cancel that checks, waits, then restores shows only
 * then). A recorded history is planned in the order its cases were really sent (an engine sends
 * them as listed); cases sent at one instant, or never, keep their listed order.
 */
function togetherOrder<C extends { readonly name: string }>(
  cases: readonly C[],
  round: number,
  sentAt: ((caseName: string) => number | undefined) | undefined,
): readonly C[] {
  if (cases.length < 2) return cases;
  if (sentAt === undefined) return round % 2 === 1 ? [...cases].reverse() : cases;
  const at = (c: C) => sentAt(c.name) ?? Number.POSITIVE_INFINITY;
  // A stable sort: equal times (and two unsent, whose difference is NaN) keep the listed order.
  return [...cases].sort((a, b) => at(a) - at(b) || 0);
}

/** Whether a round has a step of several cases fired together (their outcomes depend on who wins). */
export const firesTogether = (scenario: Scenario): boolean => scenario.round.some((step) => step.cases.length > 1);

/** Every planned request of a phase, in plan order. */
export function requestsOf(phase: PlannedPhase): PlannedRequest[] {
  return phase.rounds.flatMap((r) => r.steps.flat());
}

/**
 * A wait around each hold's release, in ms: TTL + x × grace, x spread over the rounds from `from`
 * to `to` and bunched towards their middle (cubed): a pay that meets a release must land within a
 * sweep interval of it, and a linear spread over the whole grace left a few pays there (a pay that
 * spends 30 ms at its gateway with no state guard passed hold expiry). Never below 0.
 */
export function aroundRelease(
  ttl: HoldExpiry | null,
  wait: { readonly from: number; readonly to: number },
  round: number,
  rounds: number,
): number {
  if (ttl === null) return 0;
  const p = rounds <= 1 ? 0 : (2 * round) / (rounds - 1) - 1;
  const x = (wait.from + wait.to) / 2 + ((wait.to - wait.from) / 2) * p ** 3;
  return Math.max(0, ttl.ttlMs + x * ttl.graceMs);
}
