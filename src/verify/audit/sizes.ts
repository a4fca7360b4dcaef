/**
 * @module
 * Scales a scenario's rounds and stock by one factor, keeping the proportions each failure class needs.
 */

import type { Scenario } from "../scenario/types.js";

/**
 * Scales a scenario's size: every phase's rounds and every SKU's stock by the same factor, so
 * the proportions that make each failure class show (stock above demand for contention, below
 * it for crossed carts and seed 3-1) stay as designed.
 */
export function scaleScenario(scenario: Scenario, factor: number): Scenario {
  if (factor === 1) return scenario;
  const times = (n: number) => (n === 0 ? 0 : Math.max(1, Math.round(n * factor)));
  return {
    ...scenario,
    skus: scenario.skus.map((s) => ({ ...s, stock: times(s.stock) })),
    phases: scenario.phases.map((p) => ({
      ...p,
      traffic: {
        ...p.traffic,
        rounds: times(p.traffic.rounds),
        concurrency: p.traffic.concurrency === null ? null : times(p.traffic.concurrency),
      },
    })),
  };
}
