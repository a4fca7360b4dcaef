import { createServer, request, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseScenario } from "../../src/scenario/load.js";
import { runScenario } from "../../src/scenario/runner.js";
import { type RunningReference, startReference } from "../helpers/reference.js";

/** 30 reservations over 1 s, one at a time: a target taking ≥ 100 ms an answer needs ≥ 3 s for them. */
const yaml = `name: paced
given:
  skus: [{ productStockId: 800001, productId: 800001, productName: A, color: NONE, size: FREE, salePrice: 1000, stock: 800 }]
  stock: admin
  users: [{ name: buyer, username: buyer@example.com, password: buyer-password, userId: 144602 }]
  traffic: { shape: rate, rounds: 30, duration: 1s, maxInFlight: 1 }
when:
  - { name: reserve, reserve: [{ sku: 800001, count: 1 }] }
`;

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
    const parsed = parseScenario(yaml, "paced.yaml");
    if (!parsed.ok) throw new Error("scenario");
    const late = await runScenario(parsed.value, { target: slowUrl });
    expect(late.notes.join("\n")).toMatch(
      /^Phase "main" was to spread its 30 rounds over 1\.0 s \(×1\), and took \d+\.\d s: the target answered too slowly for that schedule with at most 1 rounds in flight, so \d+\.\d rounds\/s were sent, not 30\.0\.$/m,
    );
    const kept = await runScenario(parsed.value, { target: reference.url, speed: 0.5 });
    expect(kept.notes.join("\n")).not.toMatch(/too slowly/);
  });
});
