import { describe, expect, it } from "vitest";
import { createInFlightGate } from "../../src/verify/scenario/in-flight.js";

describe("the in-flight gate", () => {
  it("never runs more than its limit at once, runs every task, and lets waiters in first come first served", async () => {
    const through = createInFlightGate(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const release: (() => void)[] = [];
    const tasks = Array.from({ length: 10 }, (_, i) =>
      through(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => release.push(resolve));
        running--;
        return i;
      }),
    );
    // Release one task at a time once it is waiting: each release lets exactly one waiter in.
    for (let done = 0; done < 10; done++) {
      for (let spins = 0; release.length === 0; spins++) {
        if (spins > 1000) throw new Error(`task ${done} never started: the gate let no waiter in`);
        await Promise.resolve();
      }
      release.shift()?.();
      await Promise.resolve();
    }
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("frees the slot of a task that failed", async () => {
    const through = createInFlightGate(1);
    await expect(through(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await through(async () => "next")).toBe("next");
  });
});
