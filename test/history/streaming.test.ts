import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readHistory } from "../../src/verify/history/read.js";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { checkArgs, reserveOne, scenarioYaml } from "../helpers/fixtures.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

const cliEntry = fileURLToPath(new URL("../../bin/stockproof.js", import.meta.url));

/** 300 one-unit reservations, one at a time over 60 s: long enough to be stopped midway. */
const slow = scenarioYaml({
  name: "slow",
  stock: 1000,
  stockSource: "admin",
  client: true,
  traffic: "{ shape: rate, rounds: 300, duration: 60s, maxInFlight: 1 }",
  steps: [reserveOne("reserve")],
  model: true,
});

const temp = tempDir("stockproof-stream-");
let reference: RunningReference;
const scenarioFile = join(temp.dir, "slow.yaml");

beforeAll(async () => {
  ensureBuilt();
  reference = await startReference();
  writeFileSync(scenarioFile, slow);
}, 180_000);

afterAll(async () => {
  await reference?.close();
  temp.remove();
});

const records = (file: string): { t: string }[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as { t: string }];
      } catch {
        return [];
      }
    });

describe("a history streamed to disk during the run", () => {
  it("holds each answer while the run goes on; killed midway, it is a readable prefix that check refuses to judge (exit 3)", async () => {
    const history = join(temp.dir, "killed.jsonl");
    const child = spawn(
      process.execPath,
      [cliEntry, "run", scenarioFile, "--target", reference.url, "--history", history, "--no-progress"],
      { stdio: "ignore" },
    );
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    let observed = 0;
    try {
      // Polled with a deadline: the records reach the file while the process still runs.
      const deadline = Date.now() + 60_000;
      while (observed < 5) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`no 5 answers on disk while the run went on (saw ${observed})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        try {
          observed = records(history).filter((r) => r.t === "obs").length;
        } catch {
          observed = 0; // not created yet
        }
      }
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill("SIGKILL");
      await exited;
    }
    const written = records(history);
    expect(written[0]?.t).toBe("history");
    expect(written.some((r) => r.t === "end")).toBe(false);

    const read = await readHistory(history);
    expect(read.ok && read.value.incomplete).toMatch(/stops before its end record after \d+ requests/);
    const check = await runBuiltCli(checkArgs(scenarioFile, history, { target: reference.url }));
    expect(check.code, check.stdout + check.stderr).toBe(3);
    expect(check.stderr).toMatch(/NOT JUDGED: .*killed\.jsonl stops before its end record/);

    // A kill in the middle of a write leaves half a line last: still a prefix, still not judged.
    const cut = join(temp.dir, "cut.jsonl");
    const text = readFileSync(history, "utf8");
    writeFileSync(cut, `${text}{"t":"obs","ph":0,"r":99,"c":"rese`);
    const again = await runBuiltCli(checkArgs(scenarioFile, cut, { target: reference.url }));
    expect(again.code, again.stdout + again.stderr).toBe(3);
    expect(again.stderr).toMatch(/its last line cut off/);
    // Half a line anywhere else is a broken file, not a prefix.
    const broken = join(temp.dir, "broken.jsonl");
    writeFileSync(broken, `${text.replace("\n", '\n{"t":"ob\n')}`);
    const bad = await runBuiltCli(checkArgs(scenarioFile, broken, { target: reference.url }));
    expect(bad.code, bad.stdout + bad.stderr).toBe(2);
    expect(bad.stderr).toMatch(/broken\.jsonl:2: not JSON/);
  }, 180_000);
});
