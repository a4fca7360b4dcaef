/**
 * @module
 * Starts the reference, in this process or as a primary with workers sharing the port and the database file.
 */

import cluster, { type Worker } from "node:cluster";
import type { ServeSettings } from "../../base/config/serve-settings.js";
import { loadUsers } from "../../base/config/users.js";
import type { AccountInput } from "../auth/accounts.js";
import { loadCatalog } from "../catalog/catalog.js";
import type { StockLevel } from "../domain/types.js";
import { createReference, type Reference } from "../reference.js";
import { openGuarded } from "./db-guard.js";
import { createGate, type FetchHandler } from "./gate.js";
import { startIdleSweeper } from "./idle-sweeper.js";
import { createIncidentLog } from "./incident-log.js";
import type { Listening } from "./listen.js";
import { isMemoryDb, ownPort, resetIfFresh, StartRefused } from "./startup.js";

export { StartRefused } from "./startup.js";

const settingsVariable = "STOCKPROOF_WORKER_SETTINGS";

/** What a process reads before it takes the port: errors in these files change nothing. */
interface Inputs {
  readonly catalog: StockLevel[];
  readonly users: AccountInput[] | undefined;
}

const readInputs = (settings: ServeSettings): Inputs => ({
  catalog: loadCatalog(settings.catalog),
  users: settings.users ? loadUsers(settings.users) : undefined,
});

// One per process: a full disk or a flood of cut-off bodies writes one line per cause per minute.
const incidents = createIncidentLog();

function referenceFor(settings: ServeSettings, inputs: Inputs, seed: "if-empty" | "never") {
  return createReference({
    db: settings.db,
    catalog: inputs.catalog,
    ...(inputs.users ? { users: inputs.users } : {}),
    adminKey: settings.adminKey,
    cors: settings.cors,
    allowedHosts: settings.allowedHosts,
    ...(settings.tokenSecret ? { tokenSecret: settings.tokenSecret } : {}),
    rules: { holdTtlMs: settings.holdTtlMs },
    seed,
    // Once per start, by the process that prepares the file (not by each worker).
    checkIntegrity: seed === "if-empty",
    groupCommit: settings.groupCommit,
    backgroundCheckpoint: settings.backgroundCheckpoint,
    // Fault rules and the journal live in one process's memory; workers would each hold their own.
    testControlState: settings.workers === 1 ? "in-process" : { off: `--workers ${settings.workers}` },
    onUnexpected: (error) => console.error("unexpected error:", error),
    onIncident: incidents,
  });
}

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

/** Runs an opened reference behind its listener until SIGINT/SIGTERM, then closes both cleanly. */
function keepServing(reference: Reference, listening: Listening, settings: ServeSettings) {
  const stopSweeping = startIdleSweeper(() => reference.service.sweep(), settings.holdTtlMs);
  const stop = async () => {
    stopSweeping();
    await listening.close();
    reference.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

function announceListening(url: string, settings: ServeSettings) {
  const admin =
    settings.adminKey === null
      ? "off"
      : settings.adminKeySource === "demo default"
        ? `on (X-Admin-Key: ${settings.adminKey}, the demo default)`
        : `on (key from ${settings.adminKeySource})`;
  console.log(`Listening on ${url}`);
  console.log(
    `  store: SQLite ${settings.db} · workers: ${settings.workers} · hold TTL: ${
      settings.holdTtlMs === null ? "off" : `${settings.holdTtlMs} ms`
    } · test-control API: ${admin}`,
  );
  console.log(`  CORS: ${settings.cors === null ? "off" : settings.cors.join(", ")}`);
  console.log(
    `  hosts answered: localhost, IP addresses${settings.allowedHosts.map((h) => `, ${h}`).join("")} (others: 421)`,
  );
  for (const warning of settings.warnings) console.warn(`  warning: ${warning}`);
}

/** One process: take the port, then (and only then) reset or open the database, then serve. */
async function serveAlone(settings: ServeSettings) {
  const inputs = readInputs(settings);
  const gate = createGate();
  const listening = await ownPort(sampled(gate.fetch, settings.logEvery), settings);
  let reference: Reference;
  try {
    reference = openGuarded(settings.db, () => {
      resetIfFresh(settings, inputs.catalog);
      return referenceFor(settings, inputs, "if-empty");
    });
  } catch (error) {
    // Requests waiting at the gate would keep close() waiting forever: drop them.
    const closed = listening.close();
    listening.server.closeAllConnections();
    await closed;
    throw error;
  }
  gate.open(reference.app.fetch);
  keepServing(reference, listening, settings);
  announceListening(listening.url, settings);
}

type ToPrimary = { listening: string } | { serving: string } | { failed: string };
type ToWorker = { open: true };

/** A worker: take the (shared) port, wait until the primary has prepared the database, then serve. */
async function serveAsWorker() {
  const settings = JSON.parse(process.env[settingsVariable] ?? "{}") as ServeSettings;
  const send = (message: ToPrimary) => process.send?.(message);
  try {
    const inputs = readInputs(settings);
    const gate = createGate();
    const listening = await ownPort(sampled(gate.fetch, settings.logEvery), settings);
    const prepared = new Promise<void>((resolve) =>
      process.on("message", (message: ToWorker) => {
        if (message.open) resolve();
      }),
    );
    send({ listening: listening.url });
    await prepared;
    const reference = openGuarded(settings.db, () => referenceFor(settings, inputs, "never"));
    gate.open(reference.app.fetch);
    keepServing(reference, listening, settings);
    send({ serving: listening.url });
  } catch (error) {
    // The primary reports it once and stops the cluster; this worker only says why it cannot run,
    // and exits once the message is on its way.
    const failed = error instanceof StartRefused ? error.message : String((error as Error).stack ?? error);
    process.send?.({ failed } satisfies ToPrimary, undefined, undefined, () => process.exit(1));
  }
}

/**
 * The primary of `--workers N`. The workers share one listening socket, which the cluster module
 * creates in this process when the first worker listens; so the first worker reporting that it
 * listens means the port is ours, and only then does the primary seed the file — or with --fresh
 * reset it, refusing if another process has it open — before it lets any worker open it. Until
 * every worker serves, any failure stops them all (a worker that cannot listen would otherwise be
 * replaced forever); afterwards a worker that exits is replaced.
 */
function serveAsPrimary(settings: ServeSettings): Promise<void> {
  if (isMemoryDb(settings.db)) {
    throw new StartRefused("--workers needs a database file shared by the workers (--db FILE), not :memory:");
  }
  const inputs = readInputs(settings);
  // Workers accept on the shared socket themselves. Under round-robin the primary accepts and hands each
  // socket to a worker; a socket handed to a worker that dies before taking it stays open with no reader,
  // and its client hangs until its own timeout (found by test/reliability/crash.test.ts).
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  return new Promise((resolve, reject) => {
    let phase: "starting" | "serving" | "stopping" = "starting";
    let prepared = false;
    let serving = 0;
    const stopAll = (then: () => void) => {
      phase = "stopping";
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
      let left = workers.length;
      if (left === 0) then();
      for (const worker of workers) {
        worker.once("exit", () => {
          if (--left === 0) then();
        });
        worker.process.kill("SIGTERM");
      }
    };
    const fail = (message: string) => {
      if (phase !== "stopping") stopAll(() => reject(new StartRefused(message)));
    };
    const prepare = () => {
      openGuarded(settings.db, () => {
        resetIfFresh(settings, inputs.catalog);
        // Seeds a new file once, before any worker opens it.
        referenceFor(settings, inputs, "if-empty").close();
      });
      prepared = true;
    };
    const fork = () => {
      const worker = cluster.fork({ [settingsVariable]: JSON.stringify(settings) });
      worker.on("message", (message: ToPrimary) => {
        if (phase === "stopping") return;
        if ("failed" in message) {
          if (phase === "starting") fail(message.failed);
          else console.error(`worker ${worker.process.pid} could not start: ${message.failed}`);
        } else if ("listening" in message) {
          if (!prepared) {
            try {
              prepare();
            } catch (error) {
              fail(error instanceof Error ? error.message : String(error));
              return;
            }
          }
          worker.send({ open: true } satisfies ToWorker);
        } else if (phase === "starting" && ++serving === settings.workers) {
          phase = "serving";
          announceListening(message.serving, settings);
          resolve();
        } else if (phase === "serving") {
          console.log(`worker ${worker.process.pid} is listening (replacement)`);
        }
      });
    };
    cluster.on("exit", (worker, code, signal) => {
      if (phase === "stopping") return;
      if (phase === "starting") {
        fail(`worker ${worker.process.pid} exited (${signal ?? code}) while starting; its error is above.`);
        return;
      }
      console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting a replacement`);
      fork();
    });
    const stop = () => {
      if (phase !== "stopping") stopAll(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    for (let i = 0; i < settings.workers; i++) fork();
  });
}

/**
 * Starts the reference: in this process, or as a primary with N workers sharing the port and the DB
 * file. Rejects with StartRefused (a message for the operator) when it cannot start; nothing is
 * changed then.
 */
export async function startReference(settings: ServeSettings): Promise<void> {
  if (cluster.isWorker) return serveAsWorker();
  if (settings.workers === 1) return serveAlone(settings);
  return serveAsPrimary(settings);
}
