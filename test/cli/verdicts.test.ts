import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReference } from "../../src/backend/reference.js";
import { listen } from "../../src/backend/server/listen.js";
import { api } from "../helpers/api.js";
import { cli } from "../helpers/cli.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

/** A loopback port nothing listens on: taken, then given back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Polls `condition` every 20 ms until it holds, or fails after `ms`. */
async function until(condition: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/*
 * Honest verdicts when the set-up is wrong. Before: a dead target printed eight PASS lines after 0
 * requests; a wrong admin key, a wrong password and a SKU the target lacks ended in FAILs or
 * hundreds of violations with the cause never named; a target killed mid-run was fired at for the
 * whole run and its network errors counted as timeouts.
 */
describe("could not judge: exit 3 with the cause and the fix first", () => {
  let reference: RunningReference;
  const temp = tempDir("stockproof-verdicts-");
  beforeAll(async () => {
    reference = await startReference();
  });
  afterAll(async () => {
    await reference.close();
    temp.remove();
  });

  it("a dead target: exit 3, 'nothing listens at …', no PASS, nothing sent", async () => {
    const port = await closedPort();
    const run = await cli(["run", "races", "--target", `http://127.0.0.1:${port}`, "--no-progress"]);
    expect(run.code).toBe(3);
    expect(run.stderr.split("\n").slice(0, 2)).toEqual([
      `NOT JUDGED: nothing listens at http://127.0.0.1:${port} (connection refused)`,
      "  fix: is the server running? Check --target",
    ]);
    expect(run.stdout).not.toContain("PASS");
    // A JUnit file asked for still appears, failing one case with the cause, for CI's test report.
    const junit = join(temp.dir, "dead.xml");
    const withJunit = await cli(["audit", "--target", `http://127.0.0.1:${port}`, "--junit", junit]);
    expect(withJunit.code).toBe(3);
    expect(readFileSync(junit, "utf8")).toMatch(
      /<testcase classname="stockproof\.audit" name="target could be judged">\s*<failure message="nothing listens at http:\/\/127\.0\.0\.1:\d+ \(connection refused\)" type="not-judged">/,
    );
    for (const command of [
      ["audit", "--scenarios", "races"],
      ["compare", "races"],
    ]) {
      const other = await cli([...command, "--target", `http://127.0.0.1:${port}`, "--no-progress"]);
      expect(other.code, command[0]).toBe(3);
      expect(other.stderr, command[0]).toMatch(/^NOT JUDGED: nothing listens at /);
      expect(other.stdout, command[0]).toBe("");
    }
  });

  it("a refused admin key: exit 3 naming the 401 and the fix, for run and for audit (no fallback unless asked)", async () => {
    const before = (await api(reference.url).snapshot()).body;
    const run = await cli(["run", "races", "--target", reference.url, "--admin-key", "wrong-key-123", "--no-progress"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^NOT JUDGED: the admin key was refused \(401 ADMIN_KEY_REQUIRED\)/);
    expect(run.stderr).toContain("fix: pass the target's key with --admin-key");
    const audit = await cli([
      "audit",
      "--scenarios",
      "races",
      "--target",
      reference.url,
      "--admin-key",
      "wrong-key-123",
    ]);
    expect(audit.code).toBe(3);
    expect(audit.stderr).toMatch(/NOT JUDGED: the admin key was refused \(401/);
    expect(audit.stdout).not.toContain("Lost update");
    expect((await api(reference.url).snapshot()).body.orders).toEqual(before.orders);
  });

  it("audit: a failed --setup stops with exit 3 naming it; --admin-fallback goes on and says so in the first line", async () => {
    const setup = await cli([
      "audit",
      "--scenarios",
      "races",
      "--target",
      reference.url,
      "--setup",
      "exit 7",
      "--no-progress",
    ]);
    expect(setup.code).toBe(3);
    expect(setup.stderr).toMatch(/^NOT JUDGED: --setup failed for races \(main\)/);
    expect(setup.stderr).toContain("fix: fix the --setup command");
    const fallback = await cli([
      "audit",
      "--scenarios",
      "races",
      "--target",
      reference.url,
      "--admin-key",
      "wrong-key-123",
      "--admin-fallback",
      "--scale",
      "0.2",
      "--no-progress",
    ]);
    expect(fallback.stdout.split("\n")[0]).toMatch(
      /^FALLBACK: the test-control API refused the admin key \(401; --admin-fallback\): stock is taken as declared/,
    );
  });

  it("wrong credentials: exit 3 naming the user or the client, before any phase", async () => {
    const users = await cli([
      "run",
      "races",
      "--target",
      reference.url,
      "--users",
      "buyer@example.com:nope",
      "--no-progress",
    ]);
    expect(users.code).toBe(3);
    expect(users.stderr).toMatch(/^NOT JUDGED: login as buyer@example\.com was refused \(400 invalid_grant\)/);
    const client = await cli([
      "run",
      "races",
      "--target",
      reference.url,
      "--client",
      "clientapp:nope",
      "--no-progress",
    ]);
    expect(client.code).toBe(3);
    expect(client.stderr).toMatch(/^NOT JUDGED: the OAuth client "clientapp" was refused \(401 invalid_client\)/);
  });

  it("a SKU the target lacks: one line naming it, no violation per request, exit 3", async () => {
    const file = join(temp.dir, "unknown-sku.yaml");
    writeFileSync(
      file,
      [
        "name: unknown-sku",
        "given:",
        "  skus: [{ productStockId: 999999, productId: 999999, color: NONE, size: FREE, salePrice: 1000, stock: 10 }]",
        "  stock: declared",
        "  users: [{ name: buyer, username: buyer@example.com, password: buyer-password }]",
        "  traffic: { shape: sequential, rounds: 10 }",
        "when:",
        "  - { name: take, reserve: [{ sku: 999999, count: 1 }] }",
        "  - { name: back, cancel: take }",
        "then:",
        '  thresholds: ["errors == 0"]',
        "",
      ].join("\n"),
    );
    const run = await cli(["run", file, "--target", reference.url, "--no-admin", "--no-progress"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(3);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe("NOT JUDGED: the target does not match the scenario");
    expect(lines[1]).toBe(
      "  SKU 999999 does not exist on the target: every reservation naming it (10) answered 400 UNKNOWN_SKU",
    );
    expect(run.stdout).not.toContain("[wrong-rejection]");
    expect(run.stdout).not.toMatch(/^PASS {2}(?!Setup)/m);
    expect(run.stdout).toMatch(/NOT JUDGED {2}Thresholds: not judged \(the target does not match the scenario\)/);
  });

  it("the target killed mid-run: the runner stops within a run of failures, names the cause, exit 3", async () => {
    const own = createReference({ db: join(temp.dir, "killed.db") });
    const listening = await listen(own.app.fetch, { port: 0, host: "127.0.0.1" });
    const running = cli(["run", "seed-3-2", "--target", listening.url, "--speed", "60", "--no-progress"]);
    // Kill it once it has taken part of the run: every further request is refused.
    await until(async () => ((await api(listening.url).snapshot()).body as { orders: unknown[] }).orders.length >= 40);
    listening.server.closeAllConnections();
    await listening.close();
    own.close();
    const run = await running;
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      /^NOT JUDGED: the target stopped answering [\d.]+ s into the run: 20 connection failures in a row \(CONNECTION_(REFUSED|RESET) ×\d+/,
    );
    expect(run.stdout).not.toMatch(/^PASS {2}Sequential steps equal the model/m);
    expect(run.stdout).toMatch(
      /NOT JUDGED {2}Sequential steps equal the model: not judged \(the target stopped answering\)/,
    );
    // Stopped, not fired at for the rest of the run: most of its 2000 requests were never sent.
    const sent = Number(/^(\d+) requests in /m.exec(run.stdout)?.[1]);
    expect(sent).toBeLessThan(1000);
    expect(run.stdout).toMatch(/network/);
  });
});

describe("compare --reference-port", () => {
  it("puts the fresh reference on the port asked for; a taken one is named, exit 3", async () => {
    const target = await startReference();
    const port = await closedPort();
    try {
      const run = await cli([
        "compare",
        "races",
        "--target",
        target.url,
        "--reference-port",
        String(port),
        "--no-progress",
      ]);
      expect(run.stdout).toContain(`Side by side: reference (http://127.0.0.1:${port}) vs target (${target.url})`);
      expect(run.code).toBe(0);
      const taken = new URL(target.url).port;
      const busy = await cli(["compare", "races", "--target", target.url, "--reference-port", taken, "--no-progress"]);
      expect(busy.code).toBe(3);
      expect(busy.stderr).toMatch(
        new RegExp(`^NOT JUDGED: the reference for compare cannot listen on 127\\.0\\.0\\.1:${taken} \\(EADDRINUSE\\)`),
      );
      expect(busy.stderr).toContain("fix: choose another --reference-port, or 0 for any free port");
    } finally {
      await target.close();
    }
  });
});
