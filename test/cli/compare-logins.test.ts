import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareExit, sideNotJudged } from "../../src/cli/compare-sides.js";
import type { Verdict } from "../../src/verify/scenario/check/index.js";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

describe("compare with a dev server's own logins", () => {
  let dev: RunningReference;
  const temp = tempDir("stockproof-compare-logins-");
  beforeAll(async () => {
    ensureBuilt();
    // A server whose users and client are its own: none of the demo logins work on it.
    dev = await startReference({
      users: [
        { username: "qa1@dev.test", password: "pw-one", userName: "7001" },
        { username: "qa2@dev.test", password: "pw-two", userName: "7002" },
      ],
      clients: [{ clientId: "devshop", clientSecret: "devshop-secret-1", scopes: ["read", "write"] }],
    });
  });
  afterAll(async () => {
    await dev.close();
    temp.remove();
  });

  it("logs in to the reference side with the same users (STOCKPROOF_USERS, STOCKPROOF_CLIENT): both sides judged, exit 0", async () => {
    const json = join(temp.dir, "compare.json");
    const run = await runBuiltCli(["compare", "races", "--target", dev.url, "--json", json, "--no-progress"], {
      STOCKPROOF_USERS: "buyer=qa1@dev.test:pw-one,other=qa2@dev.test:pw-two",
      STOCKPROOF_CLIENT: "devshop:devshop-secret-1",
    });
    const report = JSON.parse(readFileSync(json, "utf8")) as {
      reference: { verdict: string; checks: { id: string; status: string }[] };
      target: { verdict: string };
    };
    expect(report.reference.checks.find((c) => c.id === "setup")?.status).toBe("pass");
    expect(report.reference.verdict).toBe("pass");
    expect(report.target.verdict).toBe("pass");
    expect(run.stdout).not.toMatch(/NOT JUDGED/);
    expect(run.code).toBe(0);
  });
});

describe("compare's exit code and words when a side cannot be judged", () => {
  const notJudged = {
    verdict: "not-judged",
    notJudged: { reason: "Login as qa1@dev.test failed: 401 invalid_client", fix: "check --users and --client" },
  } as Verdict;
  const pass = { verdict: "pass", notJudged: null } as Verdict;
  const fail = { verdict: "fail", notJudged: null } as Verdict;

  it("a NOT JUDGED side never exits 0; a fault on the target still fails", () => {
    expect(compareExit(notJudged, pass)).toBe(3);
    expect(compareExit(pass, notJudged)).toBe(3);
    expect(compareExit(notJudged, fail)).toBe(1);
    expect(compareExit(pass, pass)).toBe(0);
  });

  it("says which side, why and the fix", () => {
    expect(sideNotJudged("reference", notJudged)).toEqual([
      "NOT JUDGED (the reference side): Login as qa1@dev.test failed: 401 invalid_client",
      "  fix: check --users and --client",
      "  the comparison is not a pass: exit 3",
    ]);
    expect(sideNotJudged("reference", pass)).toBeNull();
  });
});
