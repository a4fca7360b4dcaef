/**
 * Runs a recipe's shell as the CI would: GitHub runs each `run:` step as its own
 * `bash --noprofile --norc -eo pipefail` script, deciding each step's `if:` from the steps before;
 * GitLab runs the job's lines as one `bash` with `set -eo pipefail`. Each script runs in its own
 * process group, so whatever it left in the background (a server started with `&`) is ended with
 * the job, as a CI runner ends a job's processes.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { evaluate, truthy } from "./github-expression.js";
import type { GithubJob, GithubStep, GitlabJob } from "./recipe-jobs.js";

export interface StepResult {
  readonly name: string;
  /** The script's exit code; null for a step whose `if:` was false, "uses" for an action step. */
  readonly code: number | null | "uses";
  readonly output: string;
  readonly step?: GithubStep;
}

/** One shell script in its own process group; resolves with its exit code and output once bash exits. */
async function bash(script: string, cwd: string, env: NodeJS.ProcessEnv, groups: number[]) {
  const dir = mkdtempSync(join(tmpdir(), "stockproof-step-"));
  try {
    writeFileSync(join(dir, "step.sh"), script);
    const log = openSync(join(dir, "output"), "w");
    // Output to a file, not a pipe: a server left in the background keeps a pipe open after bash exits.
    const child = spawn("bash", ["--noprofile", "--norc", "-eo", "pipefail", join(dir, "step.sh")], {
      cwd,
      env,
      detached: true,
      stdio: ["ignore", log, log],
    });
    if (child.pid !== undefined) groups.push(child.pid);
    const code = await new Promise<number>((resolve, reject) => {
      child.once("error", reject);
      child.once("exit", (c, signal) => resolve(c ?? (signal === null ? 1 : 128)));
    });
    closeSync(log);
    return { code, output: readFileSync(join(dir, "output"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Ends every process a job's scripts left running (their process groups). */
function endGroups(groups: readonly number[]): void {
  for (const group of groups) {
    try {
      process.kill(-group, "SIGTERM");
    } catch {
      // The group is gone already: nothing was left running.
    }
  }
}

/** A GitHub job's steps in order; `uses:` steps are returned for the caller to check, not run. */
export async function runGithubJob(job: GithubJob, cwd: string, runner: NodeJS.ProcessEnv): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const groups: number[] = [];
  try {
    for (const [i, step] of job.steps.entries()) {
      const name = step.name ?? step.uses ?? step.run?.split("\n")[0] ?? `step ${i + 1}`;
      const failed = results.some((r) => typeof r.code === "number" && r.code !== 0);
      const decide = { contexts: job.contexts, status: { failed, cancelled: false } };
      if (!truthy(evaluate(step.if ?? "success()", decide))) {
        results.push({ name, code: null, output: "", step });
      } else if (step.run === undefined) {
        results.push({ name, code: "uses", output: "", step });
      } else {
        results.push({ name, step, ...(await bash(step.run, cwd, { ...runner, ...job.env }, groups)) });
      }
    }
  } finally {
    endGroups(groups);
  }
  return results;
}

/** A GitLab job's before_script and script as one shell, as GitLab's runner does. */
export async function runGitlabJob(job: GitlabJob, cwd: string, runner: NodeJS.ProcessEnv) {
  const groups: number[] = [];
  try {
    return await bash(`${job.lines.join("\n")}\n`, cwd, { ...runner, ...job.env }, groups);
  } finally {
    endGroups(groups);
  }
}
