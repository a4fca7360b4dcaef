import { describe, expect, it } from "vitest";
import type { PlannedPhase, PlannedRound } from "../../src/verify/scenario/plan.js";
import { drive } from "../../src/verify/scenario/traffic.js";

function burstOf(rounds: number): PlannedPhase {
  return {
    index: 0,
    phase: {
      name: "burst",
      restock: false,
      traffic: { shape: "burst", rounds, durationMs: null, concurrency: null, maxInFlight: null },
    },
    rounds: Array.from({ length: rounds }, (_, round): PlannedRound => ({ phase: 0, round, steps: [], waits: [] })),
  };
}

describe("a burst", () => {
  it("keeps at most maxRounds rounds under way, releases the first together, and runs every round once in plan order", async () => {
    const phase = burstOf(5_000);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    let startedBeforeAnyEnded = -1;
    const runRound = async (round: PlannedRound) => {
      started.push(round.round);
      running++;
      peak = Math.max(peak, running);
      await Promise.resolve();
      if (startedBeforeAnyEnded < 0) startedBeforeAnyEnded = started.length;
      running--;
    };
    await drive(phase, runRound, 1, new AbortController().signal, 16);
    expect(peak).toBe(16);
    expect(startedBeforeAnyEnded).toBe(16);
    expect(started).toEqual(phase.rounds.map((r) => r.round));
  });

  it("starts no round after the run is cut off", async () => {
    const phase = burstOf(100);
    const stop = new AbortController();
    let ran = 0;
    await drive(
      phase,
      async () => {
        if (++ran === 10) stop.abort();
        await Promise.resolve();
      },
      1,
      stop.signal,
      4,
    );
    expect(ran).toBeLessThan(14);
  });
});
