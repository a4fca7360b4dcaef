import { readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, test } from "vitest";
import { parseDocument } from "yaml";
import { builtinNames } from "../../src/verify/scenario/builtins.js";
import { formatLoadError, loadScenario, parseScenario } from "../../src/verify/scenario/load.js";
import { scenarioSchemaUrl } from "../../src/verify/scenario/schema.js";

const valid = `name: tiny
given:
  skus:
    - productStockId: 311191
      stock: 5
  users:
    - username: buyer@example.com
      password: buyer-password
  traffic: { shape: sequential, rounds: 2 }
when:
  - name: take
    reserve: [{ sku: 311191, count: 1 }]
  - name: give-back
    cancel: take
`;

function problemsOf(text: string) {
  const parsed = parseScenario(text, "bad.yaml");
  if (parsed.ok) throw new Error("expected the scenario to be refused");
  return parsed.error.problems;
}

describe("scenario files", () => {
  test("the built-ins are seed-3-1, seed-3-2 and races, and each loads", () => {
    expect(builtinNames()).toEqual(expect.arrayContaining(["seed-3-1", "seed-3-2", "races"]));
    for (const name of builtinNames()) {
      const loaded = loadScenario(name);
      expect(loaded.ok, loaded.ok ? name : formatLoadError(loaded.error)).toBe(true);
    }
  });

  test("the shipped JSON Schema is itself valid and accepts every built-in", () => {
    const schema = JSON.parse(readFileSync(scenarioSchemaUrl, "utf8")) as object;
    // strictRequired would refuse `oneOf: [{ required: [traffic] }, …]`, a deliberate pattern here.
    const ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
    expect(ajv.validateSchema(schema)).toBe(true);
    const validate = ajv.compile(schema);
    for (const name of builtinNames()) {
      const doc = parseDocument(readFileSync(new URL(`../../scenarios/${name}.yaml`, import.meta.url), "utf8")).toJS();
      expect(validate(doc), `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });

  test("a valid file normalises: defaults, order keys, the round in order", () => {
    const parsed = parseScenario(valid, "tiny.yaml");
    if (!parsed.ok) throw new Error(formatLoadError(parsed.error));
    const s = parsed.value;
    expect(s.stockSetup).toBe("admin");
    expect(s.request.timestamp).toBe("today");
    expect(s.round.map((step) => step.cases.map((c) => c.name))).toEqual([["take"], ["give-back"]]);
    expect(s.round[1]?.cases[0]?.action).toEqual({ kind: "cancel", orderKey: "take" });
  });

  test("a wrong type is reported with the line and column of the value", () => {
    const problems = problemsOf(valid.replace("stock: 5", "stock: five"));
    expect(problems).toEqual([expect.objectContaining({ line: 5, column: 14, path: "given.skus[0].stock" })]);
    expect(problems[0]?.message).toMatch(/integer/);
  });

  test("an unknown field is reported at its key", () => {
    const problems = problemsOf(valid.replace("  traffic:", "  trafic: 1\n  traffic:"));
    expect(problems).toContainEqual(
      expect.objectContaining({ line: 9, column: 3, message: 'has an unknown field "trafic"' }),
    );
  });

  test("a cancel of a case that does not exist names the case and where it is", () => {
    const problems = problemsOf(valid.replace("cancel: take", "cancel: tkae"));
    expect(problems).toEqual([
      expect.objectContaining({
        line: 14,
        column: 13,
        path: "when[1].cancel",
        message: expect.stringMatching(/"tkae" is not a reserve case/),
      }),
    ]);
  });

  test("a SKU not in given.skus is refused at the line that names it", () => {
    const problems = problemsOf(valid.replace("sku: 311191, count", "sku: 999, count"));
    expect(problems[0]).toMatchObject({ line: 12, path: "when[0].reserve[0].sku" });
    expect(problems[0]?.message).toMatch(/SKU 999 is not in given\.skus/);
  });

  test("broken YAML is reported with its line and column", () => {
    const problems = problemsOf(valid.replace("  users:\n", "  users:\n   - [unclosed\n"));
    expect(problems[0]?.line).toBeGreaterThanOrEqual(7);
    expect(problems[0]?.column).toBeGreaterThan(0);
  });

  test("the formatted error names file, line and column, one problem per line", () => {
    const parsed = parseScenario(valid.replace("rounds: 2", "rounds: 0"), "bad.yaml");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(formatLoadError(parsed.error)).toMatch(
        /^bad\.yaml is not a valid scenario:\n {2}bad\.yaml:9:\d+ given\.traffic\.rounds must be >= 1/,
      );
  });

  test("an unknown scenario name lists the built-ins", () => {
    const loaded = loadScenario("seed-9-9");
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.error.problems[0]?.message).toMatch(/built-ins: .*seed-3-1/);
  });
});
