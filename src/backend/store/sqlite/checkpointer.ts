/**
 * @module
 * Checkpoints the WAL from a worker thread, so no commit stalls the event loop copying pages.
 */

import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

export interface Checkpointer {
  /** Asks the thread to close its connection and end; never throws. */
  stop(): void;
}

export interface CheckpointerOptions {
  /** The database file (not ":memory:"). */
  readonly path: string;
  /** Pause between checkpoint passes. */
  readonly intervalMs: number;
  /** Called once if the thread cannot run (it could not start, open the file, or it died). */
  readonly onFailure: () => void;
}

// The thread's code as a string: it runs unchanged from the sources under test and from the build.
// Dynamic imports work whether Node reads an eval'd string as CommonJS or as a module.
const threadCode = `
(async () => {
  const { parentPort, workerData } = await import("node:worker_threads");
  const { default: Database } = await import(workerData.driver);
  let db;
  try {
    db = new Database(workerData.path, { fileMustExist: true });
  } catch {
    parentPort.postMessage("unavailable"); // e.g. the store closed and its file went before this thread started
    parentPort.close();
    return;
  }
  // A PASSIVE checkpoint never waits for the writer, so the writer may commit while a pass runs.
  // Passes repeat while they find new frames (at most maxPasses per tick); once one finds none, the
  // log is as checkpointed as readers allow, and if wholly so the writer's next transaction starts
  // the WAL file from its beginning.
  const maxPasses = 8;
  const pass = () => {
    try {
      let seen = -1;
      for (let round = 0; round < maxPasses; round++) {
        const [state] = db.pragma("wal_checkpoint(PASSIVE)");
        if (state.busy !== 0 || state.log === seen) return;
        seen = state.log;
      }
    } catch {
      // Another process's checkpoint, or the file going away: the next pass tries again.
    }
  };
  const timer = setInterval(pass, workerData.intervalMs);
  parentPort.once("message", () => {
    clearInterval(timer);
    try { db.close(); } catch {}
    parentPort.close();
  });
})();
`;

/**
 * Checkpoints the WAL from a thread of its own, so the event loop never stalls copying pages into
 * the database file: SQLite's automatic checkpoint does that inside a commit, every request in
 * flight waiting (a thousand pages took ~20 ms here). The writer keeps a high automatic checkpoint
 * as a bound should this thread fall behind, and `onFailure` tells it when the thread cannot run.
 */
export function startCheckpointer(options: CheckpointerOptions): Checkpointer {
  const driver = pathToFileURL(createRequire(import.meta.url).resolve("better-sqlite3")).href;
  const worker = new Worker(threadCode, {
    eval: true,
    // The thread needs none of this process's flags (loaders, --input-type…).
    execArgv: [],
    workerData: { driver, path: options.path, intervalMs: options.intervalMs },
  });
  let stopped = false;
  let failed = false;
  const fail = () => {
    if (stopped || failed) return;
    failed = true;
    options.onFailure();
  };
  worker.on("message", (message) => {
    if (message === "unavailable") fail();
  });
  worker.on("error", fail);
  worker.on("exit", fail);
  // After the listeners: attaching a message listener refs the thread's port again.
  worker.unref();
  return {
    stop() {
      stopped = true;
      worker.postMessage("stop");
    },
  };
}
