import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../src/", import.meta.url));

/** Every hand-written .ts file under src/, relative to it: src/backend/generated/ carries its own "backend/generated" header. */
function handWritten(dir = ""): string[] {
  return readdirSync(join(src, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) return path === "backend/generated" ? [] : handWritten(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Whether the first thing in the file (after a shebang and blank lines) is a comment. */
function opensWithComment(text: string): boolean {
  const body = text
    .replace(/^\uFEFF/, "")
    .replace(/^#![^\n]*\n/, "")
    .trimStart();
  return body.startsWith("//") || body.startsWith("/*");
}

describe("every hand-written source file opens with a comment saying its job (`@module`)", () => {
  const files = handWritten();

  it("finds the files it judges, and none of src/backend/generated/", () => {
    expect(files.length).toBeGreaterThan(200);
    expect(files).toContain("index.ts");
    expect(files).toContain("backend/domain/ledger.ts");
    expect(files.some((path) => path.startsWith("backend/generated/"))).toBe(false);
  });

  it("tells a header from code", () => {
    expect(opensWithComment("/**\n * @module\n * The ledger.\n */\n\nexport {};\n")).toBe(true);
    expect(opensWithComment("// Why this file exists.\nexport {};\n")).toBe(true);
    expect(opensWithComment('import { x } from "./x.js";\n/** Not a header: code comes first. */\n')).toBe(false);
    expect(opensWithComment("export const a = 1; // trailing\n")).toBe(false);
  });

  it("has no file under src/ that opens with code", () => {
    const offenders = files.filter((path) => !opensWithComment(readFileSync(join(src, path), "utf8"))).sort();
    expect(
      offenders,
      `files that open without a comment:\n${offenders.map((path) => `src/${path}`).join("\n")}`,
    ).toEqual([]);
  });
});
