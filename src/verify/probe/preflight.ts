/**
 * @module
 * Probes a target once before a run (reachable, logins, admin key) and says why it cannot judge when not.
 */

import { request } from "undici";
import { CannotJudge } from "../../base/config/errors.js";
import { describeCause, transportCause } from "./transport-cause.js";

export interface PreflightOptions {
  /** Base URL of the server under test. */
  readonly target: string;
  /** The OAuth client and users the run will log in as; each is tried once. */
  readonly client?: { readonly id: string; readonly secret: string };
  readonly users?: readonly { readonly username: string; readonly password: string }[];
  /** A test-control key to try; null or absent: not tried. */
  readonly adminKey?: string | null;
  /** The run cannot go on without the test-control API (it sets stock through it). */
  readonly adminRequired?: boolean;
  /** What to do when the required test-control API is missing; default: the scenario runner's advice. */
  readonly missingAdminFix?: string;
  readonly timeoutMs?: number;
}

/** What the preflight learnt: whether the test-control API answered the key. */
export interface PreflightFindings {
  readonly admin: "ok" | "refused" | "missing" | "not-tried";
}

interface Answer {
  readonly status: number;
  readonly code: string | null;
  readonly text: string;
}

function joinUrl(target: string, path: string): URL {
  return new URL(path.replace(/^\//, ""), target.endsWith("/") ? target : `${target}/`);
}

async function call(
  target: string,
  method: "GET" | "POST",
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<Answer> {
  try {
    const response = await request(joinUrl(target, path), {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.body.text();
    let code: string | null = null;
    try {
      const parsed = JSON.parse(text) as { code?: unknown; error?: unknown };
      const named = parsed.code ?? parsed.error;
      if (typeof named === "string") code = named;
    } catch {
      // Not JSON: the status alone says what happened.
    }
    return { status: response.statusCode, code, text };
  } catch (error) {
    const cause = transportCause(error);
    const detail = error instanceof Error ? error.message : String(error);
    const { message, fix } = describeCause(target, cause, detail);
    throw new CannotJudge(message, fix);
  }
}

/** A body in a line: an HTML page by its title (a proxy's error page), else its text, whitespace collapsed. */
export function bodySummary(text: string): string {
  if (/<html|<!doctype html/i.test(text)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
    const words = text
      .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    return `an HTML page${title ? ` "${title.slice(0, 80)}"` : words === "" ? "" : ` ("${words.slice(0, 80)}")`}`;
  }
  const line = text.replace(/\s+/g, " ").trim();
  return line === "" ? "an empty body" : line.slice(0, 160);
}

const said = (a: Answer) => `${a.status}${a.code === null ? "" : ` ${a.code}`}`;

/**
 * Probes the target once before any phase: is anything there, do the client and users log in, does
 * the test-control API take the key. Throws CannotJudge (exit 3) naming the cause and the fix, so a
 * run never reports checks over requests that could not have succeeded.
 */
export async function preflight(options: PreflightOptions): Promise<PreflightFindings> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const { target } = options;
  // Reachability: any HTTP answer will do.
  await call(target, "GET", "/", { accept: "application/json" }, undefined, timeoutMs);

  for (const user of options.users ?? []) {
    if (options.client === undefined) break;
    const form = new URLSearchParams({
      grant_type: "password",
      username: user.username,
      password: user.password,
      client_id: options.client.id,
      client_secret: options.client.secret,
    }).toString();
    const answer = await call(
      target,
      "POST",
      "/oauth/token",
      { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      form,
      timeoutMs,
    );
    if (answer.status === 200) continue;
    if (answer.status === 404 || answer.status === 405)
      throw new CannotJudge(
        `POST ${joinUrl(target, "/oauth/token")} answered ${said(answer)}: there is no token endpoint at that address`,
        "is --target the API's base URL (with its path prefix, if any)?",
      );
    if (answer.code === "invalid_client")
      throw new CannotJudge(
        `the OAuth client "${options.client.id}" was refused (${said(answer)})`,
        "pass the target's client with --client ID:SECRET (or the scenario's given.client)",
      );
    if (answer.code === "invalid_grant")
      throw new CannotJudge(
        `login as ${user.username} was refused (${said(answer)}): wrong username or password on the target`,
        "pass the target's users with --users [alias=]USER:PASSWORD,… (or the scenario's given.users)",
      );
    // A 5xx is the server (or a proxy before it) failing, not a login it refused.
    if (answer.status >= 500)
      throw new CannotJudge(
        `login as ${user.username} at POST /oauth/token answered ${said(answer)}: ${bodySummary(answer.text)} — the server behind --target (or a proxy in front of it) failed`,
        "check that the API server behind --target is up and reachable from its proxy (the proxy's upstream, the server's logs), then run again",
      );
    throw new CannotJudge(
      `login as ${user.username} at POST /oauth/token answered ${said(answer)}: ${bodySummary(answer.text)}`,
      "check --users and --client against the target's accounts",
    );
  }

  if (options.adminKey === undefined || options.adminKey === null) return { admin: "not-tried" };
  const snapshot = await call(
    target,
    "GET",
    "/__admin/snapshot",
    { "x-admin-key": options.adminKey, accept: "application/json" },
    undefined,
    timeoutMs,
  );
  if (snapshot.status === 200) return { admin: "ok" };
  if (snapshot.status === 401 || snapshot.status === 403) {
    if (!options.adminRequired) return { admin: "refused" };
    throw new CannotJudge(
      `the admin key was refused (${said(snapshot)}) by GET /__admin/snapshot`,
      "pass the target's key with --admin-key (or STOCKPROOF_ADMIN_KEY), or --no-admin and set the stock yourself (given.stock: declared)",
    );
  }
  if (!options.adminRequired) return { admin: "missing" };
  throw new CannotJudge(
    `the target has no test-control API (GET /__admin/snapshot answered ${said(snapshot)})`,
    options.missingAdminFix ??
      "run with --no-admin after setting the stock yourself, and declare it (given.stock: declared)",
  );
}
