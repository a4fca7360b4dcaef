import { createServer, request, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScenario } from "../../src/verify/scenario/runner.js";
import { loadedScenario, reserveOne, scenarioYaml } from "../helpers/fixtures.js";
import { type RunningReference, startReference } from "../helpers/reference.js";

/** 30 reservations over 1 s, one at a time: a target taking ≥ 100 ms an answer needs ≥ 3 s for them. */
const yaml = scenarioYaml({
  name: "paced",
  stock: 800,
  stockSource: "admin",
  traffic: "{ shape: rate, rounds: 30, duration: 1s, maxInFlight: 1 }",
  steps: [reserveOne("reserve")],
});

describe("a rate schedule the target cannot keep", () => {
  let reference: RunningReference;
  let slow: Server;
  let slowUrl = "";
  beforeAll(async () => {
    reference = await startReference();
    const upstream = new URL(reference.url);
    // The reference behind a proxy that holds each order request 100 ms before passing it on.
    slow = createServer((req, res) => {
      const forward = () =>
        req.pipe(
          request(
            { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
            (answer) => {
              res.writeHead(answer.statusCode ?? 502, answer.headers);
              answer.pipe(res);
            },
          ),
        );
      if (req.url?.startsWith("/orders/")) setTimeout(forward, 100);
      else forward();
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => slow.close(resolve));
    await reference.close();
  });

  it("is said in the run's notes with the schedule and what was sent; a kept one is not", async () => {
    const scenario = loadedScenario(yaml, "paced.yaml");
    const late = await runScenario(scenario, { target: slowUrl });
    expect(late.notes.join("\n")).toMatch(
      /^Phase "main" was to spread its 30 rounds over 1\.0 s \(×1\), and took \d+\.\d s: the target answered too slowly for that schedule with at most 1 rounds in flight, so \d+\.\d rounds\/s were sent, not 30\.0\.$/m,
    );
    const kept = await runScenario(scenario, { target: reference.url, speed: 0.5 });
    expect(kept.notes.join("\n")).not.toMatch(/too slowly/);
  });
});
