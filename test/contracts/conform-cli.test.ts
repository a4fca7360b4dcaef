import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spec } from "../../src/backend/generated/spec.js";
import { seedQuery } from "../../src/verify/calls/cases/seed-sample.js";
import { pathTemplates, payPath, reservePath } from "../../src/verify/client/paths.js";
import type { ConformanceReport } from "../../src/verify/report/conformance/report.js";
import { runBuiltCli } from "../helpers/built-cli.js";
import { adminKey, type RunningReference, startReference, tempDir } from "../helpers/reference.js";

const cli = new URL("../../bin/stockproof.js", import.meta.url).pathname;

const problem = (status: number, code: string) =>
  JSON.stringify({ type: `urn:test:${code}`, title: code, status, code, detail: `${code} from the test server` });

/**
 * A server that gets the contract wrong on purpose: its token endpoint is right, but a reservation
 * answers 200 with a body that is not an Order, and paying answers 418, a status the spec does not declare.
 */
function startNonConformingServer(): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? "").split("?")[0] ?? "";
    request.resume();
    if (request.method === "POST" && path === "/oauth/token") {
      response.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      const token = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX25hbWUiOiIxIn0.c2ln";
      response.end(
        JSON.stringify({
          access_token: token,
          token_type: "bearer",
          refresh_token: token,
          expires_in: 60,
          scope: "read write",
          jti: "j",
        }),
      );
    } else if (path === pathTemplates.reserve) {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ orderId: 1, reserved: true }));
    } else if (path.startsWith(payPath(""))) {
      response.writeHead(418, { "content-type": "text/plain" });
      response.end("I'm a teapot");
    } else {
      response.writeHead(404, { "content-type": "application/problem+json" });
      response.end(problem(404, "ORDER_NOT_FOUND"));
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("stockproof conform", () => {
  let bad: Server;
  let reference: RunningReference;
  const temp = tempDir();
  beforeAll(async () => {
    bad = await startNonConformingServer();
    reference = await startReference();
  });
  afterAll(async () => {
    await new Promise((resolve) => bad.close(resolve));
    await reference.close();
    temp.remove();
  });

  it("reports a non-conforming server's violations per operation and status, with request and response, and exits 1", async () => {
    const { port } = bad.address() as AddressInfo;
    const jsonFile = join(temp.dir, "bad.json");
    const result = await runBuiltCli([
      "conform",
      "--target",
      `http://127.0.0.1:${port}`,
      "--other-user",
      "none",
      "--burst",
      "4",
      "--json",
      jsonFile,
    ]);
    expect(result.stdout, result.stderr).toMatch(/✗ \d+ of \d+ exchanges violate the spec/);
    expect(result.code).toBe(1);
    const report = JSON.parse(readFileSync(jsonFile, "utf8")) as ConformanceReport;
    const reserve = report.byOperation.find((row) => row.operationId === "reserveStock" && row.status === 200);
    expect(reserve?.violations).toBeGreaterThan(0);
    const wrongShape = report.violations.find((e) => e.operationId === "reserveStock" && e.response.status === 200);
    expect(wrongShape?.request.path).toMatch(/^\/orders\/payment\/choice\?/);
    expect(wrongShape?.response.body).toEqual({ orderId: 1, reserved: true });
    expect(wrongShape?.violations.map((v) => v.message).join(" ")).toMatch(/paymentOrderId/);
    const teapot = report.violations.find((e) => e.operationId === "payOrder" && e.response.status === 418);
    expect(teapot?.violations.map((v) => v.message).join(" ")).toMatch(/status code/);
    expect(result.stdout).toMatch(/reserveStock\s+200\s+\d+\s+[1-9]/);
    // Paying answers 418, so the calls that need a paid order cannot be set up: named, not sent, the drive goes on.
    expect(report.skipped.map((k) => `${k.operationId} — ${k.label}`)).toContain("payOrder — pay again");
    expect(report.skipped.find((k) => k.label === "pay again")?.reason).toMatch(
      /payResultTest\/\S+ answered 418 \(payOrder: pay expects 200\)/,
    );
    expect(result.stdout).toMatch(/Not sent, because the server refused what they need/);
    expect(result.stdout).toMatch(/✗ \d+ of \d+ exchanges violate the spec/);
  }, 300_000);

  it("passes the reference with the test-control API, exit 0", async () => {
    const result = await runBuiltCli([
      "conform",
      "--target",
      reference.url,
      "--admin-key",
      adminKey,
      "--burst",
      "10",
      "--burst-stock",
      "5",
    ]);
    expect(result.stdout).toMatch(/✓ \d+ exchanges, 0 violations/);
    expect(result.code).toBe(0);
  }, 300_000);
});

// The last test signals the process the others ask: the order is part of the test.
describe("stockproof mock --static", { shuffle: false }, () => {
  let child: ChildProcess;
  let url: string;
  beforeAll(async () => {
    child = spawn(process.execPath, [cli, "mock", "--static", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout as NonNullable<ChildProcess["stdout"]> }).on("line", (line) => {
        const match = /^Mocking openapi\/openapi\.yaml on (http:\/\/\S+)$/.exec(line);
        if (match) resolve(match[1] as string);
      });
      child.once("exit", (code) => reject(new Error(`stockproof mock exited (${code}) before listening`)));
    });
  });
  afterAll(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });

  it("answers a reservation with the spec's example order", async () => {
    const query = seedQuery(
      "testorder210621112151",
      '{"productInfoList":null,"productStockList":[{"productStockId":311191,"orderCount":1}]}',
    );
    const response = await fetch(`${url}${reservePath(query)}`, {
      headers: { authorization: "Bearer x.y.z" },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(spec.components.examples.ReservedOrder.value);
  });

  it("stops Prism and exits when it is signalled", async () => {
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    await exited;
    await expect(fetch(`${url}/oauth/token`, { method: "POST" })).rejects.toThrow();
  });
});
