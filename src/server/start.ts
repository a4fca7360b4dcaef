import cluster from "node:cluster";
import { loadCatalog } from "../config/catalog.js";
import type { ServeSettings } from "../config/serve-settings.js";
import { loadUsers } from "../config/users.js";
import { createReference } from "../reference.js";
import { listen } from "./listen.js";

const settingsVariable = "STOCKPROOF_WORKER_SETTINGS";

function referenceFor(settings: ServeSettings, seed: "if-empty" | "never") {
  return createReference({
    db: settings.db,
    catalog: loadCatalog(settings.catalog),
    ...(settings.users ? { users: loadUsers(settings.users) } : {}),
    adminKey: settings.adminKey,
    cors: settings.cors,
    ...(settings.tokenSecret ? { tokenSecret: settings.tokenSecret } : {}),
    rules: { holdTtlMs: settings.holdTtlMs },
    seed,
    groupCommit: settings.groupCommit,
    backgroundCheckpoint: settings.backgroundCheckpoint,
    onUnexpected: (error) => console.error("unexpected error:", error),
  });
}

type FetchHandler = (request: Request, bindings?: unknown) => Response | Promise<Response>;

// The node adapter's bindings (the raw Node request) are passed on: the app reads headers from them.
function sampled(fetch: FetchHandler, every: number): FetchHandler {
  if (every <= 0) return fetch;
  let count = 0;
  return async (request, bindings) => {
    const log = ++count % every === 0;
    const started = performance.now();
    const response = await fetch(request, bindings);
    if (log) {
      const url = new URL(request.url);
      console.log(`${request.method} ${url.pathname} ${response.status} ${(performance.now() - started).toFixed(1)}ms`);
    }
    return response;
  };
}

/** One process: open the store, serve, and close cleanly on SIGINT/SIGTERM. */
async function serveHere(settings: ServeSettings, seed: "if-empty" | "never", announce: boolean) {
  const reference = referenceFor(settings, seed);
  if (settings.fresh && seed === "if-empty") reference.service.reset();
  const listening = await listen(sampled(reference.app.fetch, settings.logEvery), settings);
  // Writes sweep due holds lazily; the timer also returns stock while the server is idle.
  const sweeper =
    settings.holdTtlMs === null
      ? undefined
      : setInterval(
          () => {
            try {
              reference.service.sweep();
            } catch {
              // A busy store is retried on the next tick; a write sweeps before it decides anyway.
            }
          },
          Math.min(settings.holdTtlMs, 1000),
        ).unref();
  const stop = async () => {
    clearInterval(sweeper);
    await listening.close();
    reference.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  if (announce) announceListening(listening.url, settings);
  return listening;
}

function announceListening(url: string, settings: ServeSettings) {
  console.log(`Listening on ${url}`);
  console.log(
    `  store: SQLite ${settings.db} · workers: ${settings.workers} · hold TTL: ${
      settings.holdTtlMs === null ? "off" : `${settings.holdTtlMs} ms`
    } · test-control API: ${settings.adminKey === null ? "off" : `on (X-Admin-Key: ${settings.adminKey})`}`,
  );
  for (const warning of settings.warnings) console.warn(`  warning: ${warning}`);
}

/** Starts the reference: in this process, or as a primary with N workers sharing the port and the DB file. */
export async function startReference(settings: ServeSettings): Promise<void> {
  if (cluster.isWorker) {
    const inherited = JSON.parse(process.env[settingsVariable] ?? "{}") as ServeSettings;
    const listening = await serveHere(inherited, "never", false);
    process.send?.({ listening: listening.url });
    return;
  }
  if (settings.workers === 1) {
    await serveHere(settings, "if-empty", true);
    return;
  }
  if (settings.db === ":memory:" || settings.db === "memory") {
    throw new Error("--workers needs a database file shared by the workers (--db FILE), not :memory:");
  }
  // The primary migrates and seeds once, before any worker opens the file.
  const seeded = referenceFor(settings, "if-empty");
  if (settings.fresh) seeded.service.reset();
  seeded.close();

  // Workers accept on the shared socket themselves. Under round-robin the primary accepts and hands each
  // socket to a worker; a socket handed to a worker that dies before taking it stays open with no reader,
  // and its client hangs until its own timeout (found by test/reliability/crash.test.ts).
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let stopping = false;
  let announced = false;
  let ready = 0;
  const fork = () => {
    const worker = cluster.fork({ [settingsVariable]: JSON.stringify(settings) });
    worker.on("message", (message: { listening?: string }) => {
      if (message.listening === undefined) return;
      ready++;
      if (!announced && ready === settings.workers) {
        announced = true;
        announceListening(message.listening, settings);
      } else if (announced) {
        console.log(`worker ${worker.process.pid} is listening (replacement)`);
      }
    });
  };
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) return;
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting a replacement`);
    fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
    let left = Object.keys(cluster.workers ?? {}).length;
    if (left === 0) process.exit(0);
    cluster.on("exit", () => {
      if (--left === 0) process.exit(0);
    });
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  for (let i = 0; i < settings.workers; i++) fork();
}
