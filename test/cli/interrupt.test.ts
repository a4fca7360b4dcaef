import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt } from "../helpers/built-cli.js";
import { type RunningReference, startReference, tempDir } from "../helpers/reference.js";

const cliEntry = fileURLToPath(new URL("../../bin/stockproof.js", import.meta.url));

/** 300 one-unit reservations, one at a time over 60 s: long enough to be stopped midway. */
const slow = `name: slow
given:
  skus: [{ productStockId: 800001, productId: 800001, productName: A, color: NONE, size: FREE, salePrice: 1000, stock: 1000 }]
  stock: admin
  users: [{ name: buyer, username: buyer@example.com, password: buyer-password, userId: 144602 }]
  client: { id: clientapp, secret: secret }
  traffic: { shape: rate, rounds: 300, duration: 60s, maxInFlight: 1 }
when:
  - { name: reserve, reserve: [{ sku: 800001, count: 1 }] }
then:
  counts: model
  finalStock: model
`;

interface Spawned {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves once standard error holds a match for `pattern` (rejects if the process exits first). */
  readonly waitForErr: (pattern: RegExp) => Promise<void>;
  readonly exited: Promise<number | null>;
}

/** The built CLI as a child process; output is collected and can be waited on. */
function spawnCli(args: readonly string[]): Spawned {
  const child = spawn(process.execPath, [cliEntry, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let out = "";
  let err = "";
  const waiters: { pattern: RegExp; resolve: () => void; reject: (e: Error) => void }[] = [];
  const settle = () => {
    for (const w of [...waiters]) {
      if (w.pattern.test(err)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout?.on("data", (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on("data", (c: Buffer) => {
    err += c.toString();
    settle();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code, signal) => {
      for (const w of waiters.splice(0))
        w.reject(new Error(`exited (${code ?? signal}) before ${w.pattern}:\n${out}\n${err}`));
      resolve(code);
    }),
  );
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForErr: (pattern) =>
      new Promise((resolve, reject) => {
        waiters.push({ pattern, resolve, reject });
        settle();
      }),
  };
}

describe("a signal stops the traffic, and the reports are written", () => {
  let reference: RunningReference;
  const temp = tempDir("stockproof-interrupt-");
  const scenarioFile = join(temp.dir, "slow.yaml");
  beforeAll(async () => {
    ensureBuilt();
    writeFileSync(scenarioFile, slow);
    reference = await startReference();
  });
  afterAll(async () => {
    await reference.close();
    temp.remove();
  });

  it("run: SIGINT mid-run judges what was sent as NOT JUDGED (interrupted), writes JSON, JUnit, HTML and history, exits 130", async () => {
    const file = (ext: string) => join(temp.dir, `run.${ext}`);
    const run = spawnCli([
      "run",
      scenarioFile,
      "--target",
      reference.url,
      "--progress",
      ...["--json", file("json"), "--junit", file("xml"), "--html", file("html"), "--history", file("jsonl")],
    ]);
    try {
      // The first progress line is printed with the first answer.
      await run.waitForErr(/\[main\] \d+\/300 requests/);
      run.child.kill("SIGINT");
      expect(await run.exited).toBe(130);
    } finally {
      run.child.kill("SIGKILL");
    }
    expect(run.stderr()).toMatch(/SIGINT — stopping: no new requests; judging what was sent and writing the reports/);
    expect(run.stdout()).toMatch(/NOT JUDGED: interrupted \(SIGINT\) after \d+ of 300 requests/);
    const json = JSON.parse(readFileSync(file("json"), "utf8")) as {
      verdict: string;
      notJudged: { reason: string };
      checks: { id: string; status: string }[];
    };
    expect(json.verdict).toBe("not-judged");
    expect(json.notJudged.reason).toMatch(/^interrupted \(SIGINT\) after (\d+) of 300 requests/);
    const sent = Number(/after (\d+) of/.exec(json.notJudged.reason)?.[1]);
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(300);
    const junit = readFileSync(file("xml"), "utf8");
    expect(junit).toMatch(/<failure message="interrupted \(SIGINT\)/);
    expect(readFileSync(file("html"), "utf8")).toMatch(
      /<p class="cause"><strong>NOT JUDGED: interrupted \(SIGINT\) after \d+ of 300 requests<\/strong><br>fix: run again and let it finish/,
    );
    // The history holds every answer the run saw, and is closed (its last record is the end).
    const records = readFileSync(file("jsonl"), "utf8").trim().split("\n");
    expect(records.filter((r) => r.includes('"t":"obs"') && !r.includes("NOT_SENT")).length).toBeGreaterThanOrEqual(
      sent,
    );
    expect(records.at(-1)).toMatch(/"t":"end"/);
  });

  it("audit: SIGTERM during its last scenario keeps the classes judged so far, writes JUnit and JSON, exits 143", async () => {
    const json = join(temp.dir, "audit.json");
    const junit = join(temp.dir, "audit.xml");
    const html = join(temp.dir, "audit.html");
    const audit = spawnCli([
      "audit",
      "--target",
      reference.url,
      "--scenarios",
      `races,${scenarioFile}`,
      "--speed",
      "1",
      ...["--json", json, "--junit", junit, "--html", html],
    ]);
    try {
      await audit.waitForErr(/slow · main: 300 rounds/);
      audit.child.kill("SIGTERM");
      expect(await audit.exited).toBe(143);
    } finally {
      audit.child.kill("SIGKILL");
    }
    expect(audit.stdout()).toMatch(
      /^INTERRUPTED \(SIGTERM\): no request was sent after it; not run or cut short: slow/m,
    );
    expect(audit.stdout()).toMatch(/Verdict: NOT JUDGED \(interrupted by SIGTERM\)/);
    const report = JSON.parse(readFileSync(json, "utf8")) as {
      verdict: string;
      interrupted: { signal: string; cut: string[] };
      classes: { id: string; verdict: string; judgedIn: string[] }[];
    };
    expect(report.verdict).toBe("not-judged");
    expect(report.interrupted).toEqual({ signal: "SIGTERM", cut: ["slow"] });
    // races ran to its end: the classes it judges keep their verdict.
    expect(report.classes.find((c) => c.id === "double-restore")).toMatchObject({
      verdict: "pass",
      judgedIn: ["races"],
    });
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/<testcase [^>]*name="audit ran to the end">\s*<failure message="INTERRUPTED \(SIGTERM\)/);
    expect(existsSync(html)).toBe(true);
  });

  it("compare: SIGINT while the reference side runs writes both sides, NOT JUDGED, exits 130", async () => {
    const json = join(temp.dir, "compare.json");
    const compare = spawnCli(["compare", scenarioFile, "--target", reference.url, "--progress", "--json", json]);
    try {
      await compare.waitForErr(/\[reference main\] \d+\/300 requests/);
      compare.child.kill("SIGINT");
      expect(await compare.exited).toBe(130);
    } finally {
      compare.child.kill("SIGKILL");
    }
    const report = JSON.parse(readFileSync(json, "utf8")) as {
      reference: { verdict: string; notJudged: { reason: string } };
      target: { verdict: string; notJudged: { reason: string } };
    };
    expect(report.reference.verdict).toBe("not-judged");
    expect(report.reference.notJudged.reason).toMatch(/^interrupted \(SIGINT\)/);
    // The target's side never started: nothing was sent to it.
    expect(report.target.verdict).toBe("not-judged");
    expect(report.target.notJudged.reason).toMatch(/^interrupted \(SIGINT\) after 0 /);
  });

  it("a second signal exits at once, without waiting for what the first one is finishing", async () => {
    // A target that accepts and never answers: the login before the run waits on it.
    const sockets: Socket[] = [];
    let connected: () => void = () => {};
    const firstConnection = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const hanging: Server = createServer((socket) => {
      sockets.push(socket);
      connected();
    });
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    const { port } = hanging.address() as { port: number };
    const json = join(temp.dir, "hanging.json");
    const run = spawnCli(["run", scenarioFile, "--target", `http://127.0.0.1:${port}`, "--json", json]);
    try {
      await firstConnection;
      run.child.kill("SIGINT");
      await run.waitForErr(/SIGINT — stopping/);
      run.child.kill("SIGINT");
      expect(await run.exited).toBe(130);
    } finally {
      run.child.kill("SIGKILL");
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => hanging.close(resolve));
    }
    expect(run.stderr()).toMatch(/SIGINT again — exiting now; the reports were not written/);
    expect(existsSync(json)).toBe(false);
  });
});
