import { describe, expect, it } from "vitest";
import { checkArgs, loadedScenario, reserveOne, scenarioYaml } from "./fixtures.js";

describe("the scenario and check fixtures", () => {
  it("write the scenario file the tests used to spell out, and it loads", () => {
    const yaml = scenarioYaml({
      name: "holds",
      stock: 5,
      stockSource: "admin",
      client: true,
      traffic: "{ shape: sequential, rounds: 3 }",
      model: true,
    });
    expect(yaml).toBe(`name: holds
given:
  skus: [{ productStockId: 800001, productId: 800001, productName: A, color: NONE, size: FREE, salePrice: 1000, stock: 5 }]
  stock: admin
  users: [{ name: buyer, username: buyer@example.com, password: buyer-password, userId: 144602 }]
  client: { id: clientapp, secret: secret }
  traffic: { shape: sequential, rounds: 3 }
when:
  - { name: take, reserve: [{ sku: 800001, count: 1 }] }
then:
  counts: model
  finalStock: model
`);
    const scenario = loadedScenario(yaml);
    expect(scenario.stockSetup).toBe("admin");
    expect(scenario.skus[0]).toMatchObject({ productStockId: 800001, stock: 5 });
  });

  it("leave out what a test does not give, and take its own steps", () => {
    const yaml = scenarioYaml({
      name: "paced",
      stock: 800,
      sku: 900001,
      productName: "W",
      traffic: "{ shape: burst, rounds: 2 }",
      limits: "{ runTimeout: 1m }",
      steps: [reserveOne("take", 900001), "{ name: back, cancel: take }"],
    });
    expect(yaml).not.toMatch(/^ {2}(stock|client):|^then:/m);
    expect(yaml).toContain("productStockId: 900001, productId: 900001, productName: W,");
    expect(yaml).toContain(
      "  limits: { runTimeout: 1m }\nwhen:\n  - { name: take, reserve: [{ sku: 900001, count: 1 }] }\n  - { name: back, cancel: take }\n",
    );
    const scenario = loadedScenario(yaml);
    expect(scenario.round.map((step) => step.cases.map((c) => c.name))).toEqual([["take"], ["back"]]);
  });

  it("a fixture that does not load throws the loader's message", () => {
    expect(() => loadedScenario("name: bad\n", "bad.yaml")).toThrow(/bad\.yaml/);
  });

  it("build check's command line in the order the flags are given, a bare flag for true", () => {
    expect(
      checkArgs("s.yaml", ["a.jsonl", "b.jsonl"], { target: "http://127.0.0.1:1", probe: true, holdTtl: "1s" }),
    ).toEqual([
      "check",
      "s.yaml",
      "--history",
      "a.jsonl,b.jsonl",
      "--target",
      "http://127.0.0.1:1",
      "--probe",
      "--hold-ttl",
      "1s",
    ]);
    expect(checkArgs("s.yaml", "h.jsonl", { finalStock: "800001=4" })).toEqual([
      "check",
      "s.yaml",
      "--history",
      "h.jsonl",
      "--final-stock",
      "800001=4",
    ]);
  });
});
