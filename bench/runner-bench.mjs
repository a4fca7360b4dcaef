// Runner rows: the scenario runner's HTTP engine against autocannon on the ceiling server, and the
// full seed-3-2 scenario at unlimited speed against the reference.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cannon,
  connections,
  measureInterleaved,
  reservePath,
  seconds,
  want,
  warmCannon,
  withServer,
} from "./harness.mjs";
import { closedLoad } from "./runner-loads.mjs";
import { startCeiling, startReference } from "./servers.mjs";

const root = new URL("../", import.meta.url);

function runCli(args) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, ["bin/stockproof.js", ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => resolve({ code, output, wallMs: performance.now() - started }));
  });
}

/** The runner against autocannon on the ceiling, and seed-3-2 at unlimited speed on the reference. */
export async function runnerRows(bodyBytes) {
  const rows = {};
  if (want("runner")) {
    // Both engines send one fixed reservation path without a token.
    const path = reservePath();
    Object.assign(
      rows,
      await measureInterleaved([
        {
          key: "autocannon",
          name: "autocannon → ceiling",
          sample: () =>
            withServer(
              () => startCeiling(bodyBytes),
              (server) => warmCannon(server.url, {}, false, path),
            ),
        },
        {
          key: "runner",
          name: "stockproof runner → ceiling",
          sample: () =>
            withServer(
              () => startCeiling(bodyBytes),
              async (server) => {
                await cannon(server.url, {}, { duration: 1, path }); // the same warm-up as autocannon's sample
                return closedLoad({ url: server.url, connections, seconds, path });
              },
            ),
        },
      ]),
    );
  }
  if (want("seed-3-2")) {
    const dir = mkdtempSync(join(tmpdir(), "stockproof-seed32-"));
    const server = await startReference(join(dir, "seed32.db"));
    try {
      const json = join(dir, "seed32.json");
      const run = await runCli([
        "run",
        "seed-3-2",
        "--target",
        server.url,
        "--admin-key",
        "stockproof-admin",
        "--speed",
        "1000000",
        "--json",
        json,
      ]);
      const report = await import(json, { with: { type: "json" } }).then((m) => m.default).catch(() => null);
      const calls = report?.requests ?? null;
      // The traffic's own time (phases), and the whole run with login, stock setup and snapshots.
      const wallMs = report ? report.phases.reduce((sum, p) => sum + p.durationMs, 0) : run.wallMs;
      const runMs = report?.wallMs ?? run.wallMs;
      rows.seed32 = {
        name: "seed-3-2 at unlimited speed (reference)",
        wallMs,
        runMs,
        calls,
        verdict: report?.verdict ?? null,
        errors: run.code === 0 ? 0 : `exit ${run.code}`,
      };
      console.log(
        `  seed-3-2 unlimited speed: traffic ${wallMs.toFixed(0)} ms for ${calls} calls (whole run ${runMs.toFixed(0)} ms), verdict ${rows.seed32.verdict}`,
      );
      if (run.code !== 0) console.log(run.output.split("\n").slice(-15).join("\n"));
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
