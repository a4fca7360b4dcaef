/**
 * The order vitest starts the test files in: shuffled by the order seed when one is given (a test that
 * needs another to run first fails, and the seed replays it), else vitest's own order; either way the
 * files of test/tiers.ts's startFirst go first, in that order's relative place.
 */
import { relative } from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { prng } from "./helpers/prng.js";
import { startFirst } from "./tiers.js";

export class StartSlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seed = this.ctx.config.sequence.seed;
    const ordered = seed === undefined ? await super.sort(files) : shuffled(files, seed);
    const early = (file: TestSpecification) => startFirst.includes(relative(this.ctx.config.root, file.moduleId));
    return [...ordered.filter(early), ...ordered.filter((file) => !early(file))];
  }
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const { int } = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
