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
    parentPort.close(); // the store closed (and its file went) before this thread started
    return;
  }
  // A PASSIVE checkpoint never waits for the writer, so the writer may commit while it runs; it
  // reports the log as it found it. Passes repeat until one finds nothing new: the log is then
  // wholly checkpointed, and the writer's next transaction starts the WAL file from its beginning.
  const pass = () => {
    try {
      let seen = -1;
      for (let round = 0; round < 8; round++) {
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
 * the database file (with SQLite's automatic checkpoint, one commit in a few hundred paid ~20 ms
 * for it, and every request in flight waited). The writer keeps a high automatic checkpoint as a
 * bound on the WAL should this thread fall behind or fail.
 */
export function startCheckpointer(options: CheckpointerOptions): Checkpointer {
  const driver = pathToFileURL(createRequire(import.meta.url).resolve("better-sqlite3")).href;
  const worker = new Worker(threadCode, {
    eval: true,
    // The thread needs none of this process's flags (loaders, --input-type…).
    execArgv: [],
    workerData: { driver, path: options.path, intervalMs: options.intervalMs },
  });
  worker.unref();
  // A thread that fails only leaves the writer's own automatic checkpoint to do the work.
  worker.on("error", () => {});
  return {
    stop() {
      worker.postMessage("stop");
    },
  };
}
