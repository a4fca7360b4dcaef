/**
 * The seed of a randomised test (fast-check properties, fuzzers, kill points): STOCKPROOF_SEED replays
 * one; otherwise a fresh one. Each test prints it with {@link seedLine}, so a failing run's output
 * names the command that replays it.
 */
export function runSeed(): number {
  const given = process.env.STOCKPROOF_SEED;
  if (given === undefined || given === "") return (Date.now() ^ (process.pid << 16)) >>> 0;
  if (!/^\d+$/.test(given.trim()))
    throw new Error(`STOCKPROOF_SEED must be a whole number as a test printed it, e.g. 1234567 (got "${given}")`);
  return Number(given) >>> 0;
}

/** "name seed N (replay with STOCKPROOF_SEED=N)", plus what the run drew. */
export function seedLine(name: string, seed: number, detail = ""): string {
  return `${name} seed ${seed} (replay with STOCKPROOF_SEED=${seed})${detail === "" ? "" : `, ${detail}`}`;
}
