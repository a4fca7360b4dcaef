import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { readmeCommand, twoCommands } from "../../scripts/readme-commands.mjs";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");

describe('README\'s "Two commands" are what CI runs', () => {
  test("the block holds a serve command and a test command, each starting from npm ci", () => {
    const lines = twoCommands(read("README.md"));
    expect(lines.map((line) => line.command)).toEqual([readmeCommand("serve").command, readmeCommand("test").command]);
    for (const { command } of lines) expect(command).toMatch(/^npm ci && /);
    expect(readmeCommand("serve").comment).toMatch(/http:\/\/127\.0\.0\.1:\d+.*SQLite file \S+/);
  });

  test(".ci/run runs README's test command as printed, then the fresh-clone check of its serve command, before any other install", () => {
    const ci = read(".ci/run");
    const testAt = ci.indexOf('bash -c "$test_command"');
    const readmeAt = ci.indexOf("npm run test:readme");
    expect(ci).toContain("test_command=$(node scripts/readme-commands.mjs test)");
    expect(testAt).toBeGreaterThan(0);
    expect(readmeAt).toBeGreaterThan(testAt);
    // Nothing is installed ahead of README's own commands (a browser by hand, say).
    const commandsBefore = ci
      .slice(0, testAt)
      .split("\n")
      .filter((line) => !line.trim().startsWith("#"));
    expect(commandsBefore.join("\n")).not.toMatch(/apt-get|npm (ci|install|i)\b|npx /);
    const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
    expect(scripts["test:readme"]).toBe("node scripts/check-readme-serve.mjs");
  });

  test(".ci/run runs README's test command in a shuffled order, the tests inside each file too, its seed printed for a replay", () => {
    const ci = read(".ci/run");
    const testAt = ci.indexOf('bash -c "$test_command"');
    const seedAt = ci.indexOf("export STOCKPROOF_ORDER_SEED=");
    expect(seedAt).toBeGreaterThan(0);
    expect(seedAt).toBeLessThan(testAt);
    expect(ci.slice(seedAt, testAt)).toContain("export STOCKPROOF_SHUFFLE_TESTS=1\n");
    expect(ci.slice(seedAt, testAt)).toMatch(
      /echo .*STOCKPROOF_SHUFFLE_TESTS=1 STOCKPROOF_ORDER_SEED=\$STOCKPROOF_ORDER_SEED npm test/,
    );
    // vitest.config.ts turns the seed into a shuffled order (test/sequencer.ts).
    expect(read("vitest.config.ts")).toContain(
      "{ sequence: { shuffle: { files: true, tests: shuffleTests }, seed: Number(orderSeed) } }",
    );
  });

  test(".ci/run installs JMeter only after README's commands, then runs the JMeter suite, which `npm test` leaves out", () => {
    const ci = read(".ci/run");
    const readmeAt = ci.indexOf("npm run test:readme");
    const installAt = ci.indexOf("jmeter jmeter-http default-jdk-headless");
    const suiteAt = ci.indexOf("npm run test:jmeter");
    expect(installAt).toBeGreaterThan(readmeAt);
    expect(suiteAt).toBeGreaterThan(installAt);
    const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
    expect(scripts["test:jmeter"]).toBe("vitest run --config vitest.jmeter.config.ts");
    // `npm test`'s vitest.config.ts includes test/ and contracts/ only; the suite lives outside both.
    expect(read("vitest.config.ts")).toContain('const include = ["test/**/*.test.ts", "contracts/**/*.test.ts"];');
    expect(read("vitest.jmeter.config.ts")).toContain('include: ["test-jmeter/**/*.test.ts"]');
  });

  test("a comment is split off its command, and a missing section is named", () => {
    const readme =
      "## Two commands\n\n```sh\nnpm ci && npx stockproof serve   # on http://127.0.0.1:1, SQLite file a.db\nnpm ci && npm test\n```\n";
    expect(twoCommands(readme)).toEqual([
      { command: "npm ci && npx stockproof serve", comment: "on http://127.0.0.1:1, SQLite file a.db" },
      { command: "npm ci && npm test", comment: "" },
    ]);
    expect(() => twoCommands("# stockproof\n")).toThrow('README.md has no "## Two commands" section.');
    expect(() => readmeCommand("serve", "## Two commands\n```sh\nnpm ci && npm test\n```\n")).toThrow(
      "should have one serve command, found 0",
    );
  });
});
