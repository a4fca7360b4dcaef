import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createReference, type ReferenceOptions } from "../../src/backend/reference.js";
import { listen } from "../../src/backend/server/listen.js";
import { defaultAdminKey, demoUsers } from "../../src/base/config/defaults.js";

/** The test-control key the reference uses on loopback when none is given. */
export const adminKey = defaultAdminKey;
const [demoBuyer, demoOther] = demoUsers;
/** The demo users of config/defaults.ts, as the tests log in with them. */
export const buyer = { username: demoBuyer.username, password: demoBuyer.password } as const;
export const other = { username: demoOther.username, password: demoOther.password } as const;

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(prefix = "stockproof-test-"): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface RunningReference {
  readonly url: string;
  readonly dbPath: string;
  readonly reference: ReturnType<typeof createReference>;
  close(): Promise<void>;
}

/** The real reference server, in this process, on loopback port 0 with a real SQLite file. */
export async function startReference(options: ReferenceOptions = {}): Promise<RunningReference> {
  const temp = tempDir();
  const dbPath = options.db ?? join(temp.dir, "stockproof.db");
  const reference = createReference({ ...options, db: dbPath });
  const listening = await listen(reference.app.fetch, { port: 0, host: "127.0.0.1" });
  return {
    url: listening.url,
    dbPath,
    reference,
    async close() {
      await listening.close();
      reference.close();
      temp.remove();
    },
  };
}

export interface SpawnedReference {
  readonly url: string;
  readonly pid: number;
  readonly output: string[];
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const cli = new URL("../../bin/stockproof.js", import.meta.url).pathname;

/** `stockproof serve` as a child process (needs `npm run build`); resolves once it prints its URL. */
export function spawnReference(args: string[], env: NodeJS.ProcessEnv = {}): Promise<SpawnedReference> {
  const child = spawn(process.execPath, [cli, "serve", "--port", "0", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  createInterface({ input: child.stderr }).on("line", (line) => output.push(line));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.on("line", (line) => {
      output.push(line);
      const match = /^Listening on (http:\/\/\S+)$/.exec(line);
      if (match)
        resolve({
          url: match[1] as string,
          pid: child.pid as number,
          output,
          stop(signal = "SIGTERM") {
            child.kill(signal);
            return exited;
          },
        });
    });
    void exited.then((code) =>
      reject(new Error(`stockproof serve exited (${code}) before listening:\n${output.join("\n")}`)),
    );
  });
}
