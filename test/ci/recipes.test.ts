import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "citty";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkFlags } from "../../src/cli/flags.js";
import { cittyArgs } from "../../src/cli/main.js";
import { serveCommand } from "../../src/cli/serve.js";
import { resolveOptions } from "../../src/config/options.js";
import { serveOptions, serveSettingsFrom } from "../../src/config/serve-settings.js";
import { cli } from "../helpers/cli.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

const recipe = (name: string) => new URL(`../../examples/ci/${name}`, import.meta.url);

/** Every shell line of a GitHub workflow's `run:` steps, job by job. */
function githubLines(doc: unknown): Record<string, string[]> {
  const jobs = (doc as { jobs: Record<string, { steps: { run?: string }[] }> }).jobs;
  return Object.fromEntries(
    Object.entries(jobs).map(([name, job]) => [name, job.steps.flatMap((s) => (s.run ?? "").split("\n"))]),
  );
}

/** Every shell line of a GitLab job's `script:`, job by job (hidden `.templates` left out). */
function gitlabLines(doc: unknown): Record<string, string[]> {
  const entries = Object.entries(doc as Record<string, { script?: string[] }>);
  return Object.fromEntries(
    entries.filter(([, job]) => Array.isArray(job?.script)).map(([n, j]) => [n, j.script ?? []]),
  );
}

/** The stockproof command lines among shell lines, split into words ("|| status=$?" dropped). */
function stockproofCommands(lines: readonly string[]): string[][] {
  return lines
    .map((line) => line.trim())
    .filter((line) => line.startsWith("npx --no stockproof "))
    .map((line) => line.replace(/\s*\|\|.*$/, "").replace(/\s*&$/, ""))
    .map((line) => line.split(/\s+/).slice(3));
}

/*
 * The CI recipes people copy must hold commands that run. Each stockproof command of each job is
 * taken from the parsed YAML and run in this process against the reference, with the job's
 * STOCKPROOF_* variables (the reference job's own values) and smaller sizes through variables the
 * recipes leave unset, so the suite stays fast: the flags in the files are used exactly as written.
 */
describe("examples/ci: the GitHub and GitLab recipes run as written", () => {
  let reference: RunningReference;
  const temp = tempDir("stockproof-ci-");
  beforeAll(async () => {
    reference = await startReference();
  });
  afterAll(async () => {
    await reference.close();
    temp.remove();
  });

  const recipes = {
    "github-actions.yml": githubLines(parse(readFileSync(recipe("github-actions.yml"), "utf8"))),
    "gitlab-ci.yml": gitlabLines(parse(readFileSync(recipe("gitlab-ci.yml"), "utf8"))),
  };

  it("each recipe has a reference job and a dev job, each running conform, verify and audit", () => {
    for (const [file, jobs] of Object.entries(recipes)) {
      expect(Object.keys(jobs).length, file).toBe(2);
      for (const [job, lines] of Object.entries(jobs)) {
        const names = stockproofCommands(lines).map((c) => c[0]);
        expect(
          names.filter((n) => n !== "serve"),
          `${file} ${job}`,
        ).toEqual(["conform", "verify", "audit"]);
      }
    }
  });

  it("the dev jobs take the target and keys from secrets, never from the file", () => {
    const github = readFileSync(recipe("github-actions.yml"), "utf8");
    // GitHub's own expression syntax, written as the workflow has it.
    const secret = (name: string) => `\${{ secrets.${name} }}`;
    expect(github).toContain(`STOCKPROOF_TARGET: ${secret("DEV_API_URL")}`);
    expect(github).toContain(`STOCKPROOF_ADMIN_KEY: ${secret("DEV_ADMIN_KEY")}`);
    const gitlab = parse(readFileSync(recipe("gitlab-ci.yml"), "utf8")) as Record<
      string,
      { variables?: Record<string, string>; artifacts?: { reports?: { junit?: string } } }
    >;
    expect(gitlab["stock-contract:dev"]?.variables?.STOCKPROOF_TARGET).toBe("$DEV_API_URL");
    expect(gitlab[".stock-contract"]?.artifacts?.reports?.junit).toBe("reports/*.xml");
  });

  it("outside this repository: only the installed stockproof runs, fork pull requests and missing secrets are guarded, the JUnit check may be written, a server without the test-control API gets --setup/--snapshot", () => {
    for (const file of ["github-actions.yml", "gitlab-ci.yml"]) {
      const text = readFileSync(recipe(file), "utf8");
      // `npx stockproof` would fetch whatever registry package has that name when none is installed.
      expect(text, file).not.toMatch(/npx stockproof/);
      expect(text, file).toMatch(/npm pack -w stockproof-mock && npm pack/);
    }
    const github = parse(readFileSync(recipe("github-actions.yml"), "utf8")) as {
      permissions?: Record<string, string>;
      jobs: Record<string, { if?: string; env?: Record<string, string>; steps: { run?: string }[] }>;
    };
    expect(github.permissions).toMatchObject({ checks: "write" });
    const dev = github.jobs.dev;
    expect(dev?.if).toContain("github.event.pull_request.head.repo.full_name == github.repository");
    expect(dev?.steps[0]?.run).toMatch(/STOCKPROOF_TARGET STOCKPROOF_USERS STOCKPROOF_CLIENT[\s\S]*exit 1/);
    expect(dev?.env).toMatchObject({
      STOCKPROOF_SETUP: `\${{ vars.DEV_STOCK_SETUP }}`,
      STOCKPROOF_SNAPSHOT: `\${{ vars.DEV_STOCK_SNAPSHOT }}`,
    });
    const gitlab = parse(readFileSync(recipe("gitlab-ci.yml"), "utf8")) as Record<
      string,
      { rules?: { if: string }[]; script?: string[] }
    >;
    expect(gitlab["stock-contract:dev"]?.rules).toEqual([{ if: "$DEV_API_URL" }]);
    expect(gitlab["stock-contract:dev"]?.script?.[0]).toBe(
      // The shell's default-empty expansion, as the script line has it.
      `export STOCKPROOF_SETUP="$\{DEV_STOCK_SETUP:-}" STOCKPROOF_SNAPSHOT="$\{DEV_STOCK_SNAPSHOT:-}"`,
    );
  });

  it("every command of the reference jobs passes against the reference (a line both recipes share runs once)", async () => {
    const lines = Object.values(recipes).flatMap((jobs) =>
      Object.entries(jobs)
        .filter(([job]) => job.includes("reference"))
        .flatMap(([, l]) => l),
    );
    const commands = [...new Map(stockproofCommands(lines).map((c) => [c.join(" "), c])).values()];
    expect(commands.length).toBeGreaterThanOrEqual(4);
    const reports = join(temp.dir, "reports");
    const env = {
      STOCKPROOF_TARGET: reference.url,
      STOCKPROOF_ADMIN_KEY: "stockproof-admin",
      // Smaller sizes through options the recipes do not set on the command line.
      STOCKPROOF_BURST: "10",
      STOCKPROOF_BURST_STOCK: "5",
      STOCKPROOF_SCALE: "0.1",
      STOCKPROOF_SPEED: "600",
    };
    for (const command of commands.filter((c) => c[0] !== "serve")) {
      const args = command.map((word) => (word.startsWith("reports/") ? join(reports, word.slice(8)) : word));
      const run = await cli(args, env);
      expect(run.code, `${command.join(" ")}\n${run.stdout}\n${run.stderr}`).toBe(0);
      for (const word of args.filter((w) => w.startsWith(reports))) expect(existsSync(word), word).toBe(true);
    }
    // serve keeps running, so its line is checked as far as it can be without starting it: the flags
    // are known and the values valid (the port, :memory:).
    for (const command of commands.filter((c) => c[0] === "serve")) {
      const args = command.slice(1);
      checkFlags("stockproof serve", serveCommand.options, args);
      const flags = parseArgs(args, cittyArgs(serveCommand.options));
      expect(serveSettingsFrom(resolveOptions(serveOptions, flags, {}))).toMatchObject({ port: 8080, db: ":memory:" });
    }
    expect(readFileSync(join(reports, "conform.xml"), "utf8")).toContain('<testsuite name="stockproof.conform"');
    expect(readFileSync(join(reports, "audit.html"), "utf8")).toMatch(/^<!doctype html>/i);
  });
});
