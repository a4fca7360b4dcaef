import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/built-cli.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

const cliEntry = fileURLToPath(new URL("../../bin/stockproof.js", import.meta.url));

/**
 * The command's standard output piped into a reader that is already gone, as `| head -3` is once it
 * has its lines: `true` reads nothing and exits, so every write the command makes meets a closed pipe.
 */
function intoClosedPipe(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const line = [process.execPath, cliEntry, ...args].map((a) => `'${a}'`).join(" ");
  return new Promise((resolve) => {
    execFile("bash", ["-c", `set -o pipefail; ${line} | true`], { timeout: 120_000 }, (error, _stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stderr }),
    );
  });
}

describe("standard output closed by its reader (| head)", () => {
  let reference: RunningReference;
  const temp = tempDir("stockproof-pipe-");
  beforeAll(async () => {
    ensureBuilt();
    reference = await startReference();
  });
  afterAll(async () => {
    await reference.close();
    temp.remove();
  });

  it.each([
    ["compare", ["compare", "races", "--target"], 0],
    ["run", ["run", "races", "--target"], 0],
    // races alone cannot show an oversell or a foreign order: the audit is NOT JUDGED (3).
    ["audit", ["audit", "--scenarios", "races", "--target"], 3],
  ])("%s exits with its verdict's code, no EPIPE, and still writes its report", async (name, args, verdictCode) => {
    const json = join(temp.dir, `${name}.json`);
    const { code, stderr } = await intoClosedPipe([...args, reference.url, "--json", json, "--no-progress"]);
    expect(stderr).not.toMatch(/EPIPE|Unhandled|node:events/);
    expect(code).toBe(verdictCode);
    expect(existsSync(json)).toBe(true);
  });
});
