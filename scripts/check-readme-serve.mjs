// README's serve command, run as printed in a fresh clone of this commit: `npm ci && npx stockproof serve`.
// One login and one reservation against it, then it is stopped. The command is read from README, so
// README cannot promise a command that does not work. (.ci/run runs README's test command itself.)
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readmeCommand } from "./readme-commands.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const startDeadlineMs = 15 * 60_000; // npm ci builds better-sqlite3 from source where no prebuilt binary is reachable
const stopDeadlineMs = 30_000;
const sku = 311191;

function fail(message) {
  throw new Error(`README's serve command: ${message}`);
}

const git = (args, cwd = root) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

/** What the README line's comment promises: the URL and the SQLite file. */
function claims(comment) {
  const url = comment.match(/http:\/\/[^\s,]+/)?.[0];
  const db = comment.match(/SQLite file (\S+?),?(\s|$)/)?.[1];
  if (!url || !db) fail(`its comment should name the URL and the SQLite file, got "${comment}"`);
  return { url: new URL(url), db };
}

/** The environment of a fresh shell: none of the npm_* variables of the `npm run` that started this. */
function freshEnv(extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_|^INIT_CWD$/i.test(key)));
  return { ...env, ...extra };
}

function waitForListening(child, output) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no "Listening on" within ${startDeadlineMs / 60_000} min`)),
      startDeadlineMs,
    );
    const onData = (chunk) => {
      for (const line of String(chunk).split("\n")) {
        if (line === "") continue;
        output.push(line);
        console.log(`  | ${line}`);
        const url = line.match(/Listening on (http:\/\/\S+)/)?.[1];
        if (url) {
          clearTimeout(timer);
          resolve(new URL(url));
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`exited (${signal ?? code}) before listening`));
    });
  });
}

async function json(response, what) {
  const text = await response.text();
  if (!response.ok) fail(`${what} answered ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** One login and one reservation of SKU 311191 with the demo data, and the stock snapshot showing the hold. */
async function loginAndReserve(base) {
  const token = await json(
    await fetch(new URL("/oauth/token", base), {
      method: "POST",
      body: new URLSearchParams({
        grant_type: "password",
        username: "buyer@example.com",
        password: "buyer-password",
        client_id: "clientapp",
        client_secret: "secret",
      }),
    }),
    "login",
  );
  if (typeof token.access_token !== "string") fail(`login gave no access_token: ${JSON.stringify(token)}`);
  const before = await snapshot(base);
  const reserve = new URL("/orders/payment/choice", base);
  const order = `readme-${Date.now()}`;
  for (const [key, value] of Object.entries({
    storeId: "itsdcode",
    merchantId: "itsdcode",
    amount: "1500",
    timestamp: "20210621",
    paymentOrderId: order,
    customData: JSON.stringify({ productInfoList: null, productStockList: [{ productStockId: sku, orderCount: 1 }] }),
  })) {
    reserve.searchParams.set(key, value);
  }
  const reserved = await json(
    await fetch(reserve, { headers: { authorization: `Bearer ${token.access_token}` } }),
    "reservation",
  );
  if (reserved.status !== "RESERVED") fail(`reservation is not RESERVED: ${JSON.stringify(reserved)}`);
  const after = await snapshot(base);
  if (after.available !== before.available - 1 || after.held !== before.held + 1) {
    fail(`SKU ${sku} went from ${JSON.stringify(before)} to ${JSON.stringify(after)}, not one unit held`);
  }
  return { order, before, after };
}

async function snapshot(base) {
  const body = await json(
    await fetch(new URL("/__admin/snapshot", base), { headers: { "x-admin-key": "stockproof-admin" } }),
    "the stock snapshot",
  );
  const line = body.skus.find((s) => s.productStockId === sku);
  if (!line) fail(`the demo data has no SKU ${sku}`);
  return { available: line.available, held: line.held };
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signal = (name) => {
    try {
      // The whole group: bash, npm exec and the server under it.
      process.kill(-child.pid, name);
    } catch {
      // Already gone.
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), stopDeadlineMs);
  await exited;
  clearTimeout(timer);
}

async function main() {
  const serve = readmeCommand("serve");
  const promised = claims(serve.comment);
  const sha = git(["rev-parse", "HEAD"]);
  if (git(["status", "--porcelain", "--untracked-files=no"]) !== "") {
    console.log("(uncommitted changes are not part of this check: it runs the committed README)");
  }
  const work = mkdtempSync(join(tmpdir(), "stockproof-readme-"));
  const clone = join(work, "stockproof");
  let child;
  try {
    git(["clone", "--quiet", "--no-checkout", root, clone], work);
    git(["fetch", "--quiet", root, sha], clone);
    git(["checkout", "--quiet", "--detach", sha], clone);
    console.log(`== ${serve.command}   (fresh clone of ${sha.slice(0, 12)} in ${clone})`);
    const started = Date.now();
    // As printed, except the port: 0 (any free one) so a server already on 8080 cannot get in the way;
    // that 8080 is the default is checked against `serve --help` below.
    child = spawn("bash", ["-c", serve.command], {
      cwd: clone,
      env: freshEnv({ STOCKPROOF_PORT: "0" }),
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output = [];
    const url = await waitForListening(child, output);
    const startSeconds = ((Date.now() - started) / 1000).toFixed(0);
    if (url.hostname !== promised.url.hostname)
      fail(`listens on ${url.hostname}, README says ${promised.url.hostname}`);
    const help = execFileSync("npx", ["stockproof", "serve", "--help"], {
      cwd: clone,
      env: freshEnv({}),
      encoding: "utf8",
    });
    // The --port row of the help: "--port PORT  Port to listen on … [default: 8080; env STOCKPROOF_PORT]".
    const defaultPort = help.match(/--port\b[^\n]*?\[default: (\d+)/)?.[1];
    if (defaultPort !== promised.url.port) fail(`the default port is ${defaultPort}, README says ${promised.url.port}`);
    if (!existsSync(join(clone, promised.db))) fail(`no SQLite file ${promised.db} in the folder it was started in`);
    const { order, before, after } = await loginAndReserve(url);
    await stop(child);
    const refused = await fetch(url).then(
      () => false,
      () => true,
    );
    if (!refused) fail(`${url} still answers after the server was stopped`);
    console.log(
      `README's serve command works: installed and listening in ${startSeconds} s on ${url.origin} (default port ${defaultPort}),` +
        ` ${promised.db} created, logged in as buyer@example.com, reserved ${order} (SKU ${sku} available ${before.available} -> ${after.available}), stopped.`,
    );
  } finally {
    if (child) await stop(child);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
