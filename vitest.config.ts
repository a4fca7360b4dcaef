import { defineConfig } from "vitest/config";

/**
 * STOCKPROOF_ORDER_SEED=N runs the files and the tests in each in an order shuffled by N (vitest prints
 * `Running tests with seed "N"`): .ci/run sets a fresh one, so a test that needs another to run first
 * fails there, and the same N replays that order here. Unset, the order is vitest's usual one.
 */
const orderSeed = process.env.STOCKPROOF_ORDER_SEED;
if (orderSeed !== undefined && !/^\d+$/.test(orderSeed)) {
  throw new Error(`STOCKPROOF_ORDER_SEED must be a whole number (got "${orderSeed}")`);
}

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "contracts/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default"],
    ...(orderSeed === undefined ? {} : { sequence: { shuffle: true, seed: Number(orderSeed) } }),
  },
});
