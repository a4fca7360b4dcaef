import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { defaultAdminKey } from "../../src/config/defaults.js";

const src = fileURLToPath(new URL("../../src/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Code lines (not comments) of src/ outside config/defaults.ts that spell `literal`. */
function spelledOutside(literal: string): string[] {
  return sourceFiles(src).flatMap((file) => {
    const path = relative(src, file);
    if (path === "config/defaults.ts") return [];
    return readFileSync(file, "utf8")
      .split("\n")
      .map((line, index) => ({ line: line.trim(), at: `${path}:${index + 1}` }))
      .filter(({ line }) => line.includes(literal) && !/^(?:\/\/|\/\*\*?|\*)/.test(line))
      .map(({ at }) => at);
  });
}

describe("config/defaults.ts writes each default once", () => {
  it("finds the admin key where it is defined", () => {
    expect(readFileSync(join(src, "config/defaults.ts"), "utf8")).toContain(`"${defaultAdminKey}"`);
  });

  it("has no second spelling of the admin key in src/ (comments aside)", () => {
    expect(spelledOutside(defaultAdminKey)).toEqual([]);
  });
});
