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
