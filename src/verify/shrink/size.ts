/**
 * @module
 * How big a scenario is, in the order a reader cares about, and which of two is smaller.
 */

import { casesOf, type Scenario } from "../scenario/types.js";

/**
 * How big a scenario is, in the order a reader cares about: how many requests they must follow
 * first, then how many phases, cart lines and units, how much stock and how long it waits.
 */
export interface ScenarioSize {
  readonly requests: number;
  readonly phases: number;
  readonly rounds: number;
  readonly lines: number;
  readonly units: number;
  readonly skus: number;
  readonly stock: number;
  readonly waitMs: number;
}

const order: readonly (keyof ScenarioSize)[] = [
  "requests",
  "phases",
  "rounds",
  "lines",
  "units",
  "skus",
  "stock",
  "waitMs",
];

export function sizeOf(scenario: Scenario): ScenarioSize {
  const cases = casesOf(scenario);
  const rounds = scenario.phases.reduce((n, p) => n + p.traffic.rounds, 0);
  const reserves = cases.flatMap((c) => (c.action.kind === "reserve" ? [c.action.lines] : []));
  const waits = scenario.round.reduce(
    (n, s) =>
      n +
      (!s.wait
        ? 0
        : s.wait.unit === "release"
          ? 2 * (scenario.holdTtl?.ttlMs ?? 0)
          : (s.wait.from + s.wait.to) * (s.wait.unit === "ttl" ? (scenario.holdTtl?.ttlMs ?? 0) : 1)),
    0,
  );
  const spread = scenario.phases.reduce((n, p) => n + (p.traffic.durationMs ?? 0), 0);
  return {
    requests: rounds * cases.length,
    phases: scenario.phases.length,
    rounds,
    lines: reserves.reduce((n, lines) => n + lines.length, 0),
    units: reserves.reduce((n, lines) => n + lines.reduce((u, l) => u + l.count, 0), 0),
    skus: scenario.skus.length,
    stock: scenario.skus.reduce((n, s) => n + s.stock, 0),
    waitMs: waits + spread,
  };
}

/** True when `a` is smaller than `b`: the first measure that differs decides. */
export function isSmaller(a: ScenarioSize, b: ScenarioSize): boolean {
  for (const key of order) {
    if (a[key] !== b[key]) return a[key] < b[key];
  }
  return false;
}

/** "4 requests (2 rounds × 2), 1 SKU, stock 1". */
export function describeSize(size: ScenarioSize): string {
  const perRound = size.rounds === 0 ? 0 : size.requests / size.rounds;
  const parts = [
    `${size.requests} request${size.requests === 1 ? "" : "s"} (${size.rounds} round${size.rounds === 1 ? "" : "s"} × ${perRound})`,
    `${size.skus} SKU${size.skus === 1 ? "" : "s"}`,
    `stock ${size.stock}`,
  ];
  if (size.phases > 1) parts.push(`${size.phases} phases`);
  if (size.waitMs > 0) parts.push(`waits ${size.waitMs} ms`);
  return parts.join(", ");
}
