// Starting and stopping the servers the benchmark measures, each in its own process.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const root = new URL("../", import.meta.url);

/** Spawns a process and resolves with the first stdout line matching `ready`. */
export function spawnUntil(command, args, ready, options = {}) {
  const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], ...options });
  const output = [];
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(signal ?? code)));
  return new Promise((resolve, reject) => {
    const onLine = (line) => {
      output.push(line);
      const match = ready.exec(line);
      if (match)
        resolve({
          child,
          match,
          output,
          stop: () => {
            child.kill("SIGTERM");
            return exited;
          },
        });
    };
    createInterface({ input: child.stdout }).on("line", onLine);
    createInterface({ input: child.stderr }).on("line", onLine);
    exited.then((code) => reject(new Error(`${command} ${args.join(" ")} exited (${code}):\n${output.join("\n")}`)));
  });
}

/** A bare node:http server answering a constant JSON body: the machine's ceiling. */
export async function startCeiling(bodyBytes) {
  const script = `
    const http = require("node:http");
    const body = JSON.stringify({ pad: "x".repeat(${Math.max(0, bodyBytes - 10)}) });
    const server = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
    server.keepAliveTimeout = 5000;
    server.listen(0, "127.0.0.1", () => console.log("Listening on http://127.0.0.1:" + server.address().port));`;
  const started = await spawnUntil(process.execPath, ["-e", script], /^Listening on (http:\S+)$/);
  return { url: started.match[1], pid: started.child.pid, stop: started.stop };
}

/** The reference server (built CLI) on a fresh SQLite file. */
export async function startReference(db, extra = []) {
  const started = await spawnUntil(
    process.execPath,
    ["bin/stockproof.js", "serve", "--port", "0", "--db", db, "--fresh", ...extra],
    /^Listening on (http:\S+)$/,
  );
  return { url: started.match[1], pid: started.child.pid, stop: started.stop };
}

/** `prism mock` on the spec. */
export async function startPrism(port) {
  const started = await spawnUntil(
    "node_modules/.bin/prism",
    ["mock", "openapi/openapi.yaml", "--host", "127.0.0.1", "--port", String(port), "--errors", "false"],
    /Prism is listening on (http:\S+)/,
  );
  return { url: started.match[1].replace(/\/$/, ""), pid: started.child.pid, stop: started.stop };
}

/** Hono on @hono/node-server with a constant body: what the framework itself costs. */
export async function startHonoTrivial(bodyBytes) {
  const started = await spawnUntil(
    process.execPath,
    ["bench/hono-trivial.mjs", String(bodyBytes)],
    /^Listening on (http:\S+)$/,
  );
  return { url: started.match[1], pid: started.child.pid, stop: started.stop };
}
