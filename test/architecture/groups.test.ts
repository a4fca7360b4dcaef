import { describe, expect, it } from "vitest";
import { areaOf, areas, groups } from "../../scripts/import-graph.mjs";

/** The rank of an area: the base, the server, the tooling, then what sits at src/'s top (the commands, the entry). */
function rank(area: string): number {
  const group = groups.indexOf(area.split("/")[0] ?? "");
  return group < 0 ? groups.length : group;
}

describe("the groups of src/ point one way: base ← backend ← verify ← cli, index.ts", () => {
  it("places every area of the table in a group or at the top", () => {
    for (const group of groups) expect(Object.keys(areas).some((area) => area.startsWith(`${group}/`))).toBe(true);
    expect(Object.keys(areas)).toContain("cli");
    expect(areaOf("verify/scenario/runner.ts")).toBe("verify/scenario");
    expect(areaOf("backend/store/sqlite/store.ts")).toBe("backend/store");
  });

  it("lets no area import an area of a higher group", () => {
    const upward = Object.entries(areas).flatMap(([area, may]) =>
      may.filter((other) => rank(other) > rank(area)).map((other) => `${area} → ${other}`),
    );
    expect(upward).toEqual([]);
  });
});
