import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, closeSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReference } from "../../src/backend/reference.js";
import { ensureBuilt, serveOutcome } from "../helpers/built-cli.js";
import { tempDir } from "../helpers/reference.js";

// `serve` on a database it cannot or must not use: it refuses with exit 1 and one line naming the
// file and the fix, and the file and its directory are exactly as they were.

const cli = new URL("../../bin/stockproof.js", import.meta.url).pathname;
const digest = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

/** `serve` in a shell that first runs `prelude` (a ulimit), as user `uid` if given; resolves on exit. */
function serveWith(args: string[], options: { prelude?: string; uid?: number } = {}) {
  const command = `${options.prelude ?? ":"}; exec "$0" "$@"`;
  const child = spawn("sh", ["-c", command, process.execPath, cli, "serve", "--port", "0", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    // A server that starts is a failure of this test: stop it rather than wait.
    if (output.includes("Listening on")) child.kill("SIGTERM");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.once("close", (code) => resolve({ code, output })),
  );
}

describe("serve refuses a database it cannot or must not use, and changes nothing", () => {
  const temp = tempDir("stockproof-storage-");
  beforeAll(() => ensureBuilt());
  afterAll(() => temp.remove());

  const refusedOnce = (outcome: { code: number | null; output: string }, pattern: RegExp) => {
    expect(outcome.code, outcome.output).toBe(1);
    const lines = outcome.output.trim().split("\n");
    expect(lines, outcome.output).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  };

  it("another application's database: not adopted, not switched to WAL, not a byte changed", async () => {
    const dir = join(temp.dir, "foreign");
    const db = join(temp.dir, "foreign", "app.db");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir);
    const other = new Database(db);
    other.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ada');");
    other.close();
    const before = digest(db);
    for (const extra of [[], ["--fresh"], ["--workers", "2"]]) {
      const outcome = await serveOutcome(["--port", "0", "--db", db, ...extra]);
      expect(outcome.kind, outcome.output).toBe("exited");
      if (outcome.kind !== "exited") continue;
      refusedOnce(
        outcome,
        new RegExp(
          `^${db.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not a stockproof database: it has tables \\(users\\)`,
        ),
      );
      expect(digest(db), extra.join(" ")).toBe(before);
      expect(readdirSync(dir), extra.join(" ")).toEqual(["app.db"]);
    }
    const reopened = new Database(db, { readonly: true });
    expect(reopened.pragma("journal_mode", { simple: true })).toBe("delete");
    expect(reopened.pragma("user_version", { simple: true })).toBe(0);
    reopened.close();
  });

  it("a file that is not a database, and a stockproof database with a corrupt page", async () => {
    const notDb = join(temp.dir, "notes.db");
    writeFileSync(notDb, "these are my notes, not a database\n".repeat(200));
    const before = digest(notDb);
    refusedOnce(await serveWith(["--db", notDb]), /notes\.db is not a usable SQLite database \(SQLITE_NOTADB/);
    expect(digest(notDb)).toBe(before);

    const corrupt = join(temp.dir, "corrupt.db");
    createReference({ db: corrupt }).close();
    const fd = openSync(corrupt, "r+");
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096); // page 2 onwards: the tables' pages
    closeSync(fd);
    const corruptBefore = digest(corrupt);
    const outcome = await serveWith(["--db", corrupt]);
    refusedOnce(
      outcome,
      /corrupt\.db is not a usable SQLite database \(SQLITE_CORRUPT|corrupt\.db is not a stockproof database/,
    );
    expect(digest(corrupt)).toBe(corruptBefore);
    expect(readdirSync(temp.dir).filter((f) => f.startsWith("corrupt"))).toEqual(["corrupt.db"]);
  });

  it("a read-only database file: refused at start, naming the file and the fix", async () => {
    const dir = join(temp.dir, "readonly");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir);
    const db = join(dir, "shop.db");
    createReference({ db }).close();
    chmodSync(db, 0o444);
    // root may write any file: the server then runs as an unprivileged user, as on a shared host.
    const uid = process.getuid?.() === 0 ? 65534 : undefined;
    chmodSync(temp.dir, 0o755);
    chmodSync(dir, uid === undefined ? 0o755 : 0o777);
    const before = digest(db);
    const outcome = await serveWith(["--db", db], uid === undefined ? {} : { uid });
    refusedOnce(outcome, /^Cannot write .*shop\.db .*give the user running stockproof write permission on .*shop\.db/);
    expect(digest(db)).toBe(before);
    expect(readdirSync(dir)).toEqual(["shop.db"]);
  });

  it("a full disk at start (a file-size limit of 8 KiB): refused, and no file left behind", async () => {
    const dir = join(temp.dir, "full");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir);
    const db = join(dir, "new.db");
    const outcome = await serveWith(["--db", db], { prelude: "ulimit -f 8" });
    refusedOnce(
      outcome,
      /^Cannot write .*new\.db \(SQLITE_(FULL|IOERR)[A-Z_]*: .*disk is full or failing.*No file was left behind\.$/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
