import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeJsonWithList } from "../../src/base/report-kit/write.js";
import { tempDir } from "../helpers/reference.js";

const temp = tempDir("stockproof-json-list-");
afterAll(() => temp.remove());

describe("a JSON report written with its long list streamed", () => {
  const cases: [string, Record<string, unknown>, unknown[]][] = [
    ["no entries", { verdict: "pass" }, []],
    ["one entry", { verdict: "fail", notes: ["[] in a string", "{}"] }, [{ seq: 0 }]],
    [
      "entries past one write",
      { nested: { list: [], empty: {} } },
      Array.from({ length: 30_000 }, (_, i) => ({ seq: i, id: `order-${i}`, text: "x".repeat(i % 50) })),
    ],
  ];
  for (const [name, head, items] of cases)
    it(`is the JSON of the head with the list as its last member: ${name}`, () => {
      const file = join(temp.dir, `${name.replaceAll(" ", "-")}.json`);
      writeJsonWithList(file, head, "timeline", items);
      const text = readFileSync(file, "utf8");
      expect(JSON.parse(text)).toEqual({ ...head, timeline: items });
      expect(text.endsWith("}\n")).toBe(true);
    });
});
