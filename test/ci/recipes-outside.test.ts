import { execFile, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { devReset, devSnapshot, hasCurl } from "../audit/support.js";
import { ensureBuilt } from "../helpers/built-cli.js";
import { scratchDir } from "../helpers/scratch-dir.js";
import { runGithubJob, runGitlabJob, type StepResult } from "./job-runner.js";
import { type GithubJob, type GithubRun, type GitlabJob, githubJob, gitlabJob } from "./recipe-jobs.js";

const run = promisify(execFile);
/** jsdom (a devDependency without bundled types) parses XML strictly: malformed XML throws. */
const { JSDOM } = createRequire(import.meta.url)("jsdom") as {
  JSDOM: new (text: string, options: { contentType: string }) => { window: { document: Document } };
};
const root = fileURLToPath(new URL("../../", import.meta.url));
const recipeText = (name: string) => readFileSync(join(root, "examples/ci", name), "utf8");
/** npm's settings from an enclosing `npm test`, and this shell's stockproof settings, stay out of the CI job. */
const cleanEnv = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !key.startsWith("npm_") && !key.startsWith("STOCKPROOF_")),
);
const big = { maxBuffer: 16 * 1024 * 1024 };
const git = (cwd: string, ...args: string[]) =>
  run("git", ["-c", "user.name=QA", "-c", "user.email=qa@dev.test", ...args], { cwd });

/** The owner's install lines, from the comment at the top of a recipe ("#   " indented under "# Install:"). */
function installLines(text: string): string[] {
  const comment = text.split("\n").filter((l) => l.startsWith("#"));
  const start = comment.findIndex((l) => l.startsWith("# Install:"));
  return comment
    .slice(start + 1)
    .filter((l) => l.startsWith("#   "))
    .map((l) => l.slice(4));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The packed tarball's file name, as `npm pack --json` reports it. */
async function pack(dir: string, destination: string): Promise<string> {
  const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", destination], {
    cwd: dir,
    env: cleanEnv,
    ...big,
  });
  return (JSON.parse(packed.stdout) as { filename: string }[])[0]?.filename ?? "";
}

/** Each JUnit file the job publishes: its name, and whether it parses as XML with a <testsuite>. */
function junitFiles(dir: string): Record<string, string> {
  const reports = join(dir, "reports");
  const files = existsSync(reports) ? readdirSync(reports).filter((f) => f.endsWith(".xml")) : [];
  return Object.fromEntries(
    files.map((file) => {
      try {
        const doc = new JSDOM(readFileSync(join(reports, file), "utf8"), { contentType: "application/xml" });
        return [file, doc.window.document.querySelector("testsuite") === null ? "no <testsuite>" : "valid"];
      } catch (error) {
        return [file, `not XML: ${String(error)}`];
      }
    }),
  );
}

/** Step name → exit code (null: skipped by its `if:`, "uses": an action the test checks itself). */
const codes = (results: readonly StepResult[]) => Object.fromEntries(results.map((r) => [r.name, r.code]));
const outputs = (results: readonly StepResult[]) =>
  results.map((r) => `── ${r.name} (${r.code})\n${r.output}`).join("\n");

/*
 * Each recipe copied into a backend repository made from nothing in a scratch directory: its own package.json
 * with stockproof installed from packed tarballs as the recipe's install comment says, its own dev
 * server (plain Node http, its own logins and error words, no test-control API) and stock scripts.
 * The test plays the CI runner: each job gets a fresh `git clone` of that repository (the checkout),
 * its guard is evaluated, its shell lines run with bash in order, and the reports it publishes are
 * checked. What the test substitutes, and why:
 *   - the install comment's `git clone --branch v0.1.0 … && npm ci && npm pack …`: this working tree is
 *     packed once instead (the tag does not exist before a release); the `cp …/*.tgz vendor/` line takes
 *     that directory instead of /tmp/stockproof; its `npm install --save-dev` runs as written with
 *     npm_config_package_lock_only, since only package.json and the lockfile are committed;
 *   - npm reaches no registry: npm_config_prefer_offline (the runner's npm cache, filled by this
 *     repository's `npm ci`), and better-sqlite3's prebuilt binary, which prebuild-install would
 *     download from GitHub, comes from a local directory (npm_config_better_sqlite3_local_prebuilds);
 *   - the reference job's port 8080 becomes a free port (the test machine is shared);
 *   - the dev job's `npm ci` does not run again: it is the reference job's line on the same commit,
 *     so its node_modules are kept (a CI cache would do the same; hard links, as nothing writes there);
 *   - the GitHub and GitLab jobs run side by side (each in its own clones, on its own ports): the test's
 *     time is mostly one process at a time waiting on another;
 *   - sizes: STOCKPROOF_BURST, _BURST_STOCK, _SCALE and _SPEED, options the recipes leave unset;
 *   - the CI's own values: the dev server's URL, logins and stock scripts as repository variables and
 *     secrets (GitHub) or CI/CD variables (GitLab); `uses:` actions are checked, not run.
 */
describe.concurrent("examples/ci outside this repository: a backend repository of its own, its dev server, the recipes' lines", () => {
  const scratch = scratchDir("stockproof-recipes-");
  const packs = join(scratch, "packs");
  const prebuilds = join(scratch, "prebuilds");
  const base = join(scratch, "shop-backend");
  const servers: { close(): void }[] = [];
  let runner: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ensureBuilt();
    mkdirSync(packs);
    await pack(join(root, "packages/mock"), packs);
    await pack(root, packs);
    // better-sqlite3's release asset, as prebuild-install names it, from this repository's build.
    mkdirSync(prebuilds);
    const sqlite = join(root, "node_modules/better-sqlite3");
    const { version } = JSON.parse(readFileSync(join(sqlite, "package.json"), "utf8")) as { version: string };
    const asset = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
    await run("tar", ["czf", join(prebuilds, asset), "-C", sqlite, "build/Release/better_sqlite3.node"]);
    runner = {
      ...cleanEnv,
      CI: "true",
      npm_config_prefer_offline: "true",
      npm_config_better_sqlite3_local_prebuilds: prebuilds,
      STOCKPROOF_BURST: "10",
      STOCKPROOF_BURST_STOCK: "5",
      STOCKPROOF_SCALE: "0.1",
      STOCKPROOF_SPEED: "600",
    };

    // The backend repository: a dev server of its own, the team's stock scripts, then the install.
    mkdirSync(join(base, "ci"), { recursive: true });
    await git(base, "init", "-q", "-b", "main");
    writeFileSync(join(base, "package.json"), `${JSON.stringify({ name: "shop-backend", private: true }, null, 2)}\n`);
    writeFileSync(join(base, ".gitignore"), "node_modules/\nreports/\n");
    await build({
      entryPoints: [fileURLToPath(new URL("./backend/dev-server.ts", import.meta.url))],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile: join(base, "dev-server/server.mjs"),
      logLevel: "silent",
    });
    copyFileSync(join(root, "test/audit/servers/dev-reset.mjs"), join(base, "ci/reset-stock.mjs"));
    copyFileSync(join(root, "test/audit/servers/dev-snapshot.mjs"), join(base, "ci/stock.mjs"));

    const lines = installLines(recipeText("github-actions.yml"));
    expect(installLines(recipeText("gitlab-ci.yml")), "both recipes install alike").toEqual(lines);
    expect(lines[0]).toMatch(
      /^git clone --branch v\d+\.\d+\.\d+ --depth 1 .* \/tmp\/stockproof && cd \/tmp\/stockproof$/,
    );
    expect(lines[1]).toBe("npm ci && npm pack -w stockproof-mock && npm pack");
    const script = [`cd ${packs}`, ...lines.slice(2).map((l) => l.replaceAll("/tmp/stockproof/", `${packs}/`))];
    const installed = await run("bash", ["-eo", "pipefail", "-c", script.join("\n")], {
      cwd: base,
      env: { ...runner, npm_config_package_lock_only: "true" },
      ...big,
    });
    expect(existsSync(join(base, "package-lock.json")), installed.stderr).toBe(true);
    const pkg = JSON.parse(readFileSync(join(base, "package.json"), "utf8")) as { devDependencies: object };
    expect(pkg.devDependencies).toEqual({
      stockproof: "file:vendor/stockproof-0.1.0.tgz",
      "stockproof-mock": "file:vendor/stockproof-mock-0.1.0.tgz",
    });
    await git(base, "add", "-A");
    await git(base, "commit", "-q", "-m", "stockproof from packed tarballs; the dev server and its stock scripts");
  }, 600_000);

  afterAll(async () => {
    for (const server of servers) server.close();
    // rm is several times faster than rmSync on the checkouts' installed files.
    await run("rm", ["-rf", scratch]);
  }, 300_000);

  /** The recipe committed in a fresh repository cloned from the backend one; a checkout of it per job. */
  async function repositoryWith(recipe: string, path: string): Promise<() => Promise<string>> {
    const repo = join(scratch, recipe.replace(/\W/g, "-"));
    await git(scratch, "clone", "-q", base, repo);
    mkdirSync(join(repo, path, ".."), { recursive: true });
    writeFileSync(join(repo, path), recipeText(recipe));
    await git(repo, "add", "-A");
    await git(repo, "commit", "-q", "-m", `CI: ${recipe}`);
    let n = 0;
    return async () => {
      const checkout = `${repo}-job${++n}`;
      await git(scratch, "clone", "-q", repo, checkout);
      return checkout;
    };
  }

  /** The dev server, started from the repository as its deploy would, seeded with the SKU conform drives. */
  async function startDevServer(repo: string): Promise<string> {
    const child = spawn(process.execPath, ["dev-server/server.mjs"], {
      cwd: repo,
      stdio: ["ignore", "pipe", "inherit"],
    });
    servers.push({ close: () => child.kill("SIGTERM") });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once("exit", (code) => reject(new Error(`the dev server exited with ${code}`)));
    });
    const seed = JSON.stringify({ skus: [{ productStockId: 311191, stock: 100 }] });
    await run("bash", ["-c", `echo '${seed}' | node ci/reset-stock.mjs ${url}`], { cwd: repo });
    return url;
  }

  const devLogins = {
    DEV_USERS: "buyer=qa1@dev.test:pw-one,other=qa2@dev.test:pw-two",
    DEV_CLIENT: "devshop:devshop-secret-1",
  };
  /** The team's stock commands: its scripts committed in ci/, run from the job's checkout. */
  const repositoryScripts = (url: string) => ({
    DEV_STOCK_SETUP: `node ci/reset-stock.mjs ${url}`,
    DEV_STOCK_SNAPSHOT: `node ci/stock.mjs ${url}`,
  });
  /** The same requests as curl lines where the runner has curl (a few ms of CPU a call, not about 150). */
  const curlLines = (url: string) =>
    hasCurl ? { DEV_STOCK_SETUP: devReset(url), DEV_STOCK_SNAPSHOT: devSnapshot(url) } : repositoryScripts(url);

  it("GitHub Actions: the reference job passes every step; the dev job runs against the team's server, skips Pact without a way to set states, and publishes valid JUnit", async () => {
    const checkout = await repositoryWith("github-actions.yml", ".github/workflows/stock-contract.yml");
    const doc = parse(recipeText("github-actions.yml")) as unknown;
    const url = await startDevServer(await checkout());
    const push: GithubRun = {
      event: { name: "push" },
      repository: "shop/backend",
      vars: { DEV_API_URL: url, ...repositoryScripts(url) },
      secrets: devLogins,
    };

    const port = String(await freePort());
    const reference = onPort(githubJob(doc, "reference", push), port);
    expect(reference.runs).toBe(true);
    const referenceDir = await checkout();
    const ran = await runGithubJob(reference, referenceDir, runner);
    expect(codes(ran), outputs(ran)).toEqual({
      "actions/checkout@v4": "uses",
      "actions/setup-node@v4": "uses",
      "npm ci": 0,
      "Start the reference server": 0,
      "Spec conformance": 0,
      "Pact contracts": 0,
      "Failure classes under load": 0,
      "Publish the JUnit reports": "uses",
      "Keep the HTML and JSON reports": "uses",
    });
    checkActions(ran, referenceDir);

    const dev = githubJob(doc, "dev", push);
    expect(dev.runs).toBe(true);
    expect(dev.env).toMatchObject({
      STOCKPROOF_TARGET: url,
      STOCKPROOF_ADMIN_KEY: "",
      STOCKPROOF_PROVIDER_STATES_SETUP_URL: "",
    });
    const devDir = await checkout();
    await run("cp", ["-al", join(referenceDir, "node_modules"), devDir]);
    const devRan = await runGithubJob(withoutNpmCi(dev), devDir, runner);
    expect(codes(devRan), outputs(devRan)).toEqual({
      "The dev server's secrets are set": 0,
      "actions/checkout@v4": "uses",
      "actions/setup-node@v4": "uses",
      "npm ci": 0,
      // The team's server answers in its own words (SOLD_OUT, no input checks, bare problems): spec violations.
      "Spec conformance": 1,
      "Pact contracts": null,
      "Failure classes under load": 0,
      "Publish the JUnit reports": "uses",
      "Keep the HTML and JSON reports": "uses",
    });
    const audit = devRan.find((r) => r.name === "Failure classes under load")?.output ?? "";
    expect(audit).toMatch(/Verdict: PASS/);
    checkActions(devRan, devDir);
  }, 900_000);

  it("GitHub Actions: the dev job's guard skips it without DEV_API_URL and on a fork's pull request, and the secrets step names an empty secret", () => {
    const doc = parse(recipeText("github-actions.yml")) as unknown;
    const configured = { DEV_API_URL: "http://dev.internal:9090" };
    const at = (event: GithubRun["event"], vars: Record<string, string>, secrets: Record<string, string> = devLogins) =>
      githubJob(doc, "dev", { event, repository: "shop/backend", vars, secrets });
    expect(at({ name: "push" }, configured).runs).toBe(true);
    expect(at({ name: "push" }, {}).runs).toBe(false);
    expect(at({ name: "push" }, { DEV_API_URL: "" }).runs).toBe(false);
    expect(at({ name: "pull_request", headRepository: "shop/backend" }, configured).runs).toBe(true);
    expect(at({ name: "pull_request", headRepository: "someone/backend" }, configured, {}).runs).toBe(false);
    expect(at({ name: "pull_request", headRepository: "someone/backend" }, {}, {}).runs).toBe(false);
    // The reference job needs nothing from the repository's settings.
    expect(
      githubJob(doc, "reference", { event: { name: "push" }, repository: "a/b", vars: {}, secrets: {} }).runs,
    ).toBe(true);
  });

  it("GitHub Actions: with DEV_API_URL set but a secret left empty, the first step fails naming it", async () => {
    const doc = parse(recipeText("github-actions.yml")) as unknown;
    const dev = githubJob(doc, "dev", {
      event: { name: "push" },
      repository: "shop/backend",
      vars: { DEV_API_URL: "http://127.0.0.1:9" },
      secrets: { DEV_USERS: devLogins.DEV_USERS },
    });
    const [first] = dev.steps;
    const ran = await runGithubJob({ ...dev, steps: first === undefined ? [] : [first] }, scratch, runner);
    expect(ran[0]?.code).toBe(1);
    expect(ran[0]?.output).toMatch(/::error::STOCKPROOF_CLIENT is empty/);
  });

  it("GitLab CI: the reference job exits 0; the dev job runs only with DEV_API_URL, skips verify without a way to set states, and exits with its failed check", async () => {
    const checkout = await repositoryWith("gitlab-ci.yml", ".gitlab-ci.yml");
    const doc = parse(recipeText("gitlab-ci.yml")) as unknown;
    const url = await startDevServer(await checkout());
    const variables = { DEV_API_URL: url, ...devLogins, ...curlLines(url) };

    expect(gitlabJob(doc, "stock-contract:dev", {}).runs).toBe(false);
    expect(gitlabJob(doc, "stock-contract:dev", { ...variables, DEV_API_URL: "" }).runs).toBe(false);

    const port = String(await freePort());
    const reference = onPort(gitlabJob(doc, "stock-contract:reference", variables), port);
    expect(reference.runs).toBe(true);
    const referenceDir = await checkout();
    const ran = await runGitlabJob(reference, referenceDir, runner);
    expect(ran.code, ran.output).toBe(0);
    expect(ran.output).toMatch(/Verdict: PASS/);
    expect(junitFiles(referenceDir)).toEqual({ "audit.xml": "valid", "conform.xml": "valid" });

    const dev = gitlabJob(doc, "stock-contract:dev", variables);
    expect(dev.runs).toBe(true);
    const devDir = await checkout();
    await run("cp", ["-al", join(referenceDir, "node_modules"), devDir]);
    const devRan = await runGitlabJob(withoutNpmCi(dev), devDir, runner);
    // conform's spec violations (the team's own words) are the job's exit; audit still ran and passed.
    expect(devRan.code, devRan.output).toBe(1);
    expect(devRan.output).toMatch(/verify skipped: set DEV_ADMIN_KEY or DEV_PACT_STATES_URL/);
    expect(devRan.output).toMatch(/Verdict: PASS/);
    expect(junitFiles(devDir)).toEqual({ "audit.xml": "valid", "conform.xml": "valid" });
    for (const file of ["audit.html", "audit.json", "conform.json"])
      expect(existsSync(join(devDir, "reports", file))).toBe(true);
  }, 900_000);
});

/** The reference job on a free port instead of 8080, in its variables and its lines. */
function onPort<T extends GithubJob | GitlabJob>(job: T, port: string): T {
  const swap = (text: string) => text.replaceAll(":8080", `:${port}`).replaceAll("--port 8080", `--port ${port}`);
  const env = Object.fromEntries(Object.entries(job.env).map(([k, v]) => [k, swap(v)]));
  if ("lines" in job) return { ...job, env, lines: job.lines.map(swap) };
  return { ...job, env, steps: job.steps.map((s) => (s.run === undefined ? s : { ...s, run: swap(s.run) })) };
}

/** The dev job after the reference job on the same commit: its `npm ci` line keeps node_modules instead. */
function withoutNpmCi<T extends GithubJob | GitlabJob>(job: T): T {
  const keep = "true # npm ci ran in the reference job of this commit: node_modules kept";
  if ("lines" in job) return { ...job, lines: job.lines.map((l) => (l === "npm ci" ? keep : l)) };
  return {
    ...job,
    steps: job.steps.map((s) => (s.run === "npm ci" ? { ...s, name: "npm ci", run: keep } : s)),
  };
}

/** What the action steps would publish exists: every JUnit file of report_paths is XML; the artifact path has the reports. */
function checkActions(results: readonly StepResult[], dir: string): void {
  for (const { step } of results.filter((r) => r.code === "uses")) {
    if (step?.uses?.startsWith("mikepenz/action-junit-report@")) {
      expect(step.with?.report_paths).toBe("reports/*.xml");
      expect(junitFiles(dir)).toEqual({ "audit.xml": "valid", "conform.xml": "valid" });
    }
    if (step?.uses?.startsWith("actions/upload-artifact@")) {
      expect(step.with?.path).toBe("reports/");
      const files = readdirSync(join(dir, "reports")).sort();
      expect(files).toEqual(["audit.html", "audit.json", "audit.xml", "conform.json", "conform.xml"]);
    }
  }
}
