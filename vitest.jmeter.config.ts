import { defineConfig } from "vitest/config";

/**
 * The suite that runs exported plans with real JMeter (`npm run test:jmeter`). It needs JMeter and
 * a JDK from outside npm, so `npm test` (vitest.config.ts) does not include it; .ci/run installs
 * them and runs it after README's commands.
 */
export default defineConfig({
  test: {
    include: ["test-jmeter/**/*.test.ts"],
    testTimeout: 240_000,
    hookTimeout: 180_000,
    pool: "forks",
    // One JMeter at a time: each run is up to a thousand JVM threads.
    maxWorkers: 1,
    fileParallelism: false,
    reporters: ["default"],
  },
});
