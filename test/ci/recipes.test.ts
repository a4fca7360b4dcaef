import { readFileSync } from "node:fs";
import { parseArgs } from "citty";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { resolveOptions } from "../../src/base/config/options.js";
import { serveOptions, serveSettingsFrom } from "../../src/base/config/serve-settings.js";
import { checkFlags } from "../../src/cli/flags.js";
import { cittyArgs } from "../../src/cli/main.js";
import { serveCommand } from "../../src/cli/serve.js";

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

/** The stockproof commands in shell lines (also inside an `if … then … else …`), split into words. */
function stockproofCommands(lines: readonly string[]): string[][] {
  return lines.flatMap((line) =>
    [...line.matchAll(/npx --no stockproof ([^|;&]*)/g)].map((m) => (m[1] ?? "").trim().split(/\s+/)),
  );
}

/*
 * The CI recipes people copy, read as files: their jobs, the commands in them and the guards. Their
 * lines are run, outside this repository, by test/ci/recipes-outside.test.ts.
 */
describe("examples/ci: the GitHub and GitLab recipes", () => {
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

  it("the dev jobs take the target and keys from the CI's settings, never from the file", () => {
    const github = readFileSync(recipe("github-actions.yml"), "utf8");
    // GitHub's own expression syntax, written as the workflow has it. The URL is a variable: a job's
    // `if:` cannot read secrets, and the job is skipped when it is unset.
    const secret = (name: string) => `\${{ secrets.${name} }}`;
    expect(github).toContain(`STOCKPROOF_TARGET: \${{ vars.DEV_API_URL }}`);
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
    expect(dev?.if).toContain("vars.DEV_API_URL != ''");
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
      `export STOCKPROOF_SETUP="$\{DEV_STOCK_SETUP:-}" STOCKPROOF_SNAPSHOT="$\{DEV_STOCK_SNAPSHOT:-}" STOCKPROOF_PROVIDER_STATES_SETUP_URL="$\{DEV_PACT_STATES_URL:-}"`,
    );
  });
  it("the reference jobs' serve line has known flags and valid values (the port, :memory:)", () => {
    const lines = Object.values(recipes).flatMap((jobs) => Object.values(jobs).flat());
    const serves = stockproofCommands(lines).filter((c) => c[0] === "serve");
    expect(serves.length).toBe(2);
    for (const command of serves) {
      const args = command.slice(1);
      checkFlags("stockproof serve", serveCommand.options, args);
      const flags = parseArgs(args, cittyArgs(serveCommand.options));
      expect(serveSettingsFrom(resolveOptions(serveOptions, flags, {}))).toMatchObject({ port: 8080, db: ":memory:" });
    }
  });
});
