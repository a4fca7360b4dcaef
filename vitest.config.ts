import { configDefaults, defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { StartSlowFirst } from "./test/sequencer.js";
import { isolatedTests } from "./test/tiers.js";

/**
 * STOCKPROOF_ORDER_SEED=N runs the files (and with STOCKPROOF_SHUFFLE_TESTS=1 the tests in each) in an
 * order shuffled by N (test/sequencer.ts): .ci/run sets a fresh one and prints it, so a test that needs
 * another to run first fails there, and the same N replays that order here. Unset, the order is
 * vitest's usual one. Either way the slowest files start first.
 */
const orderSeed = process.env.STOCKPROOF_ORDER_SEED;
if (orderSeed !== undefined && !/^\d+$/.test(orderSeed)) {
  throw new Error(`STOCKPROOF_ORDER_SEED must be a whole number (got "${orderSeed}")`);
}

// Files always; the tests inside each file too with STOCKPROOF_SHUFFLE_TESTS=1 (.ci/run sets both).
const shuffleTests = process.env.STOCKPROOF_SHUFFLE_TESTS === "1";
const shuffled =
  orderSeed === undefined
    ? {}
    : { sequence: { shuffle: { files: true, tests: shuffleTests }, seed: Number(orderSeed) } };

/**
 * The files `include` and `exclude` select, in two projects. "shared" (isolate: false): a worker keeps
 * the modules it loaded from one file to the next, instead of importing src/ again for each file
 * (about 2 s a file on two cores, most of the suite's time). "isolated": test/tiers.ts's
 * isolatedTests, which patch process-wide state, each in a fresh worker.
 */
export function workerProjects(
  include: readonly string[],
  exclude: readonly string[] = [],
): TestProjectInlineConfiguration[] {
  const common = {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    ...shuffled,
  } as const;
  const excluded = [...configDefaults.exclude, ...exclude];
  const isolatedGlobs = isolatedTests.map((path) => (path.endsWith("/") ? `${path}**/*.test.ts` : path));
  const isIsolated = (file: string) => isolatedTests.some((path) => file.startsWith(path));
  // A list of files (the integration tier) is split by name; globs by the isolated globs.
  const byName = include.every((file) => !file.includes("*"));
  return [
    {
      test: {
        ...common,
        name: "shared",
        isolate: false,
        include: byName ? include.filter((file) => !isIsolated(file)) : [...include],
        exclude: byName ? excluded : [...excluded, ...isolatedGlobs],
      },
    },
    {
      test: {
        ...common,
        name: "isolated",
        isolate: true,
        include: byName ? include.filter(isIsolated) : isolatedGlobs,
        exclude: excluded,
      },
    },
  ];
}

const include = ["test/**/*.test.ts", "contracts/**/*.test.ts"];

export default defineConfig({
  test: {
    // Four on two cores: files wait much of their time (hold TTLs, shards' start instants, installs,
    // child processes). `vitest run` on the 2-core machine: 3 workers 250 s, 4 workers 217 s on the same
    // code; later, 4 workers 190–192 s and one run with 5 workers 196 s (the CPUs are busy about 92 % of
    // the run with four). The verdict tests are meant to hold on a busy machine; test:verdicts:stress
    // loads it more.
    maxWorkers: 4,
    reporters: ["default"],
    // Here too, so that vitest prints the seed; each project shuffles with it (workerProjects).
    ...shuffled,
    sequence: { ...shuffled.sequence, sequencer: StartSlowFirst },
    projects: workerProjects(include),
  },
});
