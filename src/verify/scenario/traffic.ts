/**
 * @module
 * Releases a phase's rounds in its traffic shape, and sizes the connection pool and run timeout for it.
 */

import type { PlannedPhase, PlannedRound } from "./plan.js";
import type { Scenario } from "./types.js";

/** Connections enough for the widest moment of the traffic, and no more than the system can open at once. */
export function poolSize(scenario: Scenario, phases: readonly PlannedPhase[]): number {
  const width = Math.max(...scenario.round.map((s) => s.cases.length));
  const perPhase = phases.map(({ phase: { traffic } }) => {
    switch (traffic.shape) {
      case "sequential":
        return width;
      case "burst":
        return traffic.rounds * width;
      case "concurrency":
        return (traffic.concurrency ?? 1) * width;
      case "rate":
        return Math.min(traffic.rounds, traffic.maxInFlight ?? 64) * width;
      default:
        return width;
    }
  });
  return Math.max(1, Math.min(4096, Math.max(...perPhase)));
}

/** The rate phases' spread after --speed, plus five minutes. */
export function defaultRunTimeout(scenario: Scenario, speed: number): number {
  const spread = scenario.phases.reduce(
    (sum, p) => sum + (p.traffic.shape === "rate" ? (p.traffic.durationMs ?? 0) / speed : 0),
    0,
  );
  return spread + 5 * 60_000;
}

/**
 * Releases the rounds of a phase in its traffic shape; returns the rate spread in ms (or null).
 * A burst keeps at most `maxRounds` rounds under way: the rest are due at once but wait as an index
 * into the plan, not as tens of thousands of suspended functions and promises.
 */
export async function drive(
  planned: PlannedPhase,
  runRound: (round: PlannedRound) => Promise<void>,
  speed: number,
  signal: AbortSignal,
  maxRounds: number = Number.POSITIVE_INFINITY,
): Promise<number | null> {
  const { traffic } = planned.phase;
  const rounds = planned.rounds;
  switch (traffic.shape) {
    case "sequential":
      for (const round of rounds) {
        if (signal.aborted) break;
        await runRound(round);
      }
      return null;
    case "burst": {
      // A barrier: every worker waits on one promise, so the first rounds are released in the same
      // tick; each worker then takes the next round not yet started as soon as its own is done.
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let next = 0;
      const worker = async () => {
        await gate;
        while (next < rounds.length && !signal.aborted) await runRound(rounds[next++] as PlannedRound);
      };
      const all = Array.from({ length: Math.max(1, Math.min(maxRounds, rounds.length)) }, worker);
      release();
      await Promise.all(all);
      return null;
    }
    case "concurrency": {
      let next = 0;
      const worker = async () => {
        while (next < rounds.length && !signal.aborted) await runRound(rounds[next++] as PlannedRound);
      };
      await Promise.all(Array.from({ length: Math.min(traffic.concurrency ?? 1, rounds.length) }, worker));
      return null;
    }
    case "rate": {
      const spreadMs = (traffic.durationMs ?? 0) / speed;
      const interval = spreadMs / rounds.length;
      const start = performance.now();
      const all: Promise<void>[] = [];
      const running = new Set<Promise<void>>();
      const limit = traffic.maxInFlight ?? Number.POSITIVE_INFINITY;
      for (const [i, round] of rounds.entries()) {
        const wait = start + i * interval - performance.now();
        if (wait > 1) await pause(wait, signal);
        // A round that is due waits while maxInFlight rounds are still running.
        while (running.size >= limit && !signal.aborted) await Promise.race(running);
        if (signal.aborted) break;
        const pending: Promise<void> = runRound(round).finally(() => running.delete(pending));
        running.add(pending);
        all.push(pending);
      }
      await Promise.all(all);
      return spreadMs;
    }
  }
}

/** Waits until the next round is due (the arrival schedule), or until the run is cut off. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
