import { describe, expect, it } from "vitest";
import { shardSummary } from "../../src/cli/history-args.js";
import { runAsModelled } from "../helpers/modelled-run.js";

describe("the judge line a shard prints", () => {
  const result = runAsModelled();
  const shard = { index: 0, count: 3 };
  const judgeLine = (text: string) => text.split("\n").find((l) => l.startsWith("Judge every shard together")) ?? "";

  it("reads the final stock from the target's test-control API when the shards used it", () => {
    expect(judgeLine(shardSummary(result, shard, "s.yaml", "", "shard-0.jsonl"))).toBe(
      `Judge every shard together: stockproof check s.yaml --history shard-0.jsonl,shard-1.jsonl,shard-2.jsonl --target ${result.target}`,
    );
  });

  it("gives check the shards' own --snapshot when they ran without the test-control API (--target alone would ask its API)", () => {
    const line = judgeLine(
      shardSummary(result, shard, "s.yaml", "", "shard-0.jsonl", { kind: "snapshot", command: "./stock.sh 'dev'" }),
    );
    expect(line).toContain(`--snapshot './stock.sh '\\''dev'\\'''`);
    expect(line).not.toContain("--target");
  });

  it("asks for the measured final stock when nothing can read it", () => {
    const line = judgeLine(shardSummary(result, shard, "s.yaml", "", "shard-0.jsonl", { kind: "none" }));
    expect(line).toContain("--final-stock 7=N (the available stock you measure after every shard ended; or --target");
    expect(line).toContain("--probe)");
  });
});
