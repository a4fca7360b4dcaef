import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { areaOf, areas, judge, sourceImports } from "../../scripts/import-graph.mjs";
import { type DomainErrorCode, refusalKinds } from "../../src/backend/domain/errors.js";
import { problemTable } from "../../src/backend/http/problems.js";
import { referenceStatus } from "../../src/verify/scenario/model.js";

// The allowed directions are written once, in scripts/import-graph.mjs (areas); docs/architecture.md shows them.
const imports = sourceImports();
const result = judge(imports);

describe("imports point one way between the areas of src/ (scripts/import-graph.mjs)", () => {
  it("finds the imports it judges", () => {
    expect(result.judged).toBeGreaterThan(300);
    expect(imports.some((i) => i.from === "backend/http/app.ts" && i.to.startsWith("backend/service/"))).toBe(true);
    expect(imports.some((i) => i.from === "cli/main.ts" && areaOf(i.to) === "base/config")).toBe(true);
  });

  it("knows every area of src/", () => {
    expect(result.unknownAreas).toEqual([]);
  });

  it("has a table without cycles, so allowed imports cannot form one", () => {
    expect(result.tableCycles).toEqual([]);
  });

  it("has no import its area's row does not allow (no back-arrow)", () => {
    expect(result.backArrows).toEqual([]);
  });

  it("has no cycle between areas", () => {
    expect(result.areaCycles).toEqual([]);
  });

  it("has no cycle between files", () => {
    expect(result.fileCycles).toEqual([]);
  });

  it("would catch a back-arrow and a cycle", () => {
    const planted = [...imports, { from: "backend/domain/ledger.ts", to: "backend/http/app.ts" }];
    expect(judge(planted).backArrows).toEqual(["backend/domain/ledger.ts → backend/http/app.ts"]);
    expect(judge(planted).areaCycles.length).toBeGreaterThan(0);
  });

  it("is the table docs/architecture.md shows", () => {
    const doc = readFileSync(new URL("../../docs/architecture.md", import.meta.url), "utf8");
    const rows = [...doc.matchAll(/^\| `([^`]+)` *\| (.*?) *\|$/gm)].map((m) => [
      m[1],
      (m[2] as string) === "—" ? [] : (m[2] as string).split(", ").map((a) => a.replaceAll("`", "")),
    ]);
    expect(Object.fromEntries(rows)).toEqual(areas);
  });

  it("keeps the domain pure and the server's layers in order", () => {
    expect(areas["backend/domain"]).toEqual([]);
    expect(areas["backend/http"]).not.toContain("backend/store");
    for (const tooling of ["verify/scenario", "verify/history", "verify/audit", "verify/shrink", "verify/contract"])
      for (const server of ["backend/http", "backend/store", "backend/service", "backend/server", "backend/msw"])
        expect(areas[tooling]).not.toContain(server);
  });
});

describe("the oracle's statuses", () => {
  it("are the HTTP table's for every domain refusal", () => {
    for (const code of Object.keys(refusalKinds) as DomainErrorCode[]) {
      expect([code, referenceStatus(code)]).toEqual([code, problemTable[code].status]);
    }
  });
});
