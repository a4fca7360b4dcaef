import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runBuiltCli } from "../helpers/built-cli.js";
import { type SpawnedReference, spawnReference, tempDir } from "../helpers/reference.js";

const temp = tempDir("stockproof-users-file-");
const usersFile = join(temp.dir, "users.json");
let reference: SpawnedReference;

beforeAll(async () => {
  ensureBuilt();
  writeFileSync(
    usersFile,
    JSON.stringify({ users: [{ username: "alice@shop.test", password: "alice-secret-1", userName: "144602" }] }),
  );
  // One variable for the whole shell: serve reads it as its users file.
  reference = await spawnReference(["--db", join(temp.dir, "ref.db"), "--fresh"], { STOCKPROOF_USERS: usersFile });
}, 180_000);

afterAll(async () => {
  await reference?.stop();
  temp.remove();
});

describe("STOCKPROOF_USERS naming serve's users file", () => {
  it("gives run the same users: the scenario's first user logs in as the file's first", async () => {
    const ran = await runBuiltCli(["run", "seed-3-1", "--target", reference.url, "--no-progress"], {
      STOCKPROOF_USERS: usersFile,
    });
    // It used to stop with exit 2: `entry "…/users.json" must be [alias=]username:password`.
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    expect(ran.stdout).toContain("PASS");
  }, 120_000);

  it("still says what it takes when the value is neither a list nor a file", async () => {
    const ran = await runBuiltCli(["run", "seed-3-1", "--target", reference.url, "--users", "no-such-file.json"]);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("[alias=]username:password, or the whole value the path of a users JSON file");
  });
});

describe("STOCKPROOF_USERS as a [ALIAS=]USER:PASSWORD list", () => {
  const list = "buyer=qa1@dev.test:pw-one,other=qa2@dev.test:pw-two";
  let listed: SpawnedReference;
  beforeAll(async () => {
    // The QA shell's one variable: serve takes the list as its accounts (it said "not a readable JSON users file").
    listed = await spawnReference(["--db", join(temp.dir, "listed.db"), "--fresh"], { STOCKPROOF_USERS: list });
  }, 180_000);
  afterAll(async () => {
    await listed?.stop();
  });

  it("starts serve with those accounts, and run logs in to it with the same variable", async () => {
    const ran = await runBuiltCli(["run", "races", "--target", listed.url, "--no-progress"], {
      STOCKPROOF_USERS: list,
    });
    expect(ran.code, ran.stdout + ran.stderr).toBe(0);
    const demo = await runBuiltCli(["run", "races", "--target", listed.url, "--no-progress"]);
    // The demo users are not its accounts: the list replaced them.
    expect(demo.code).toBe(3);
    expect(demo.stderr + demo.stdout).toMatch(/buyer@example\.com/);
  }, 120_000);
});
