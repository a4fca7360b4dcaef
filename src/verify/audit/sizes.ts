/**
 * @module
 * Scales a scenario's rounds and stock by one factor, keeping the proportions each failure class needs.
 */

import { firesTogether } from "../scenario/plan.js";
import type { Scenario } from "../scenario/types.js";

/**
 * Scales a scenario's size: every phase's rounds and every SKU's stock by the same factor, so
 * the proportions that make each failure class show (stock above demand for contention, below
 * it for crossed carts and seed 3-1) stay as designed.
 */
export function scaleScenario(scenario: Scenario, factor: number): Scenario {
  if (factor === 1) return scenario;
  const times = (n: number) => (n === 0 ? 0 : Math.max(1, Math.round(n * factor)));
  // A `together` step goes out reversed in odd rounds (plan.ts): two rounds send it both ways round.
  const raced = firesTogether(scenario);
  const rounds = (n: number) => (raced && n >= 2 ? Math.max(2, times(n)) : times(n));
  return {
    ...scenario,
    skus: scenario.skus.map((s) => ({ ...s, stock: times(s.stock) })),
    phases: scenario.phases.map((p) => ({
      ...p,
      traffic: {
        ...p.traffic,
        rounds: rounds(p.traffic.rounds),
        concurrency: p.traffic.concurrency === null ? null : times(p.traffic.concurrency),
      },
    })),
  };
}
