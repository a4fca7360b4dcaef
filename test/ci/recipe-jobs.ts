/**
 * The jobs of the two CI recipes as a runner sees them: each job's guard, its variables with the
 * CI's values filled in, and its steps in order. GitHub: `jobs.<id>` with `if`, `env` (`${{ }}`
 * interpolated) and `steps` (`run` or `uses`, each with its `if`). GitLab: a job merged with the
 * hidden job it `extends`, `rules`, `variables` (`$NAME` expanded) and `before_script` + `script`,
 * which GitLab runs as one shell.
 */
import { type ExpressionContext, evaluate, interpolate, truthy, type Value } from "./github-expression.js";
import { jobRuns } from "./gitlab-rules.js";

export interface GithubStep {
  readonly name: string;
  readonly if?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string>>;
}

export interface GithubJob {
  readonly name: string;
  readonly runs: boolean;
  readonly env: Record<string, string>;
  readonly steps: readonly GithubStep[];
  /** The job's contexts (github, vars, secrets, env) for the steps' `if:`. */
  readonly contexts: Record<string, Value>;
}

interface GithubDoc {
  jobs: Record<string, { if?: string; env?: Record<string, string>; steps: GithubStep[] }>;
}

/** What the GitHub runner knows when a workflow starts: the event, the repository's variables and secrets. */
export interface GithubRun {
  readonly event: { readonly name: string; readonly headRepository?: string };
  readonly repository: string;
  readonly vars: Readonly<Record<string, string>>;
  readonly secrets: Readonly<Record<string, string>>;
}

export function githubJob(doc: unknown, name: string, run: GithubRun): GithubJob {
  const job = (doc as GithubDoc).jobs[name];
  if (job === undefined) throw new Error(`no job ${name}`);
  const github: Value = {
    event_name: run.event.name,
    repository: run.repository,
    event:
      run.event.headRepository === undefined
        ? {}
        : { pull_request: { head: { repo: { full_name: run.event.headRepository } } } },
  };
  const base = { github, vars: { ...run.vars }, secrets: { ...run.secrets } };
  const atStart: ExpressionContext = { contexts: base, status: { failed: false, cancelled: false } };
  const runs = job.if === undefined || truthy(evaluate(job.if, atStart));
  const env = Object.fromEntries(Object.entries(job.env ?? {}).map(([k, v]) => [k, interpolate(String(v), atStart)]));
  return { name, runs, env, steps: job.steps, contexts: { ...base, env } };
}

interface GitlabJobDoc {
  extends?: string;
  rules?: { if?: string; when?: string }[];
  variables?: Record<string, string>;
  before_script?: string[];
  script?: string[];
}

export interface GitlabJob {
  readonly name: string;
  readonly runs: boolean;
  readonly env: Record<string, string>;
  readonly lines: readonly string[];
}

/** `$NAME` and `${NAME}` in a job's variables take the CI/CD variables' values (undefined: empty). */
const expand = (text: string, variables: Readonly<Record<string, string>>) =>
  text.replace(/\$(?:\{(\w+)\}|(\w+))/g, (_, braced?: string, bare?: string) => variables[braced ?? bare ?? ""] ?? "");

export function gitlabJob(doc: unknown, name: string, variables: Readonly<Record<string, string>>): GitlabJob {
  const jobs = doc as Record<string, GitlabJobDoc>;
  const own = jobs[name];
  if (own === undefined) throw new Error(`no job ${name}`);
  const parent = own.extends === undefined ? {} : (jobs[own.extends] ?? {});
  const job: GitlabJobDoc = { ...parent, ...own, variables: { ...parent.variables, ...own.variables } };
  const env = Object.fromEntries(
    Object.entries(job.variables ?? {}).map(([k, v]) => [k, expand(String(v), variables)]),
  );
  return {
    name,
    runs: jobRuns(job.rules, { ...variables }),
    env: { ...variables, ...env },
    lines: [...(job.before_script ?? []), ...(job.script ?? [])],
  };
}
