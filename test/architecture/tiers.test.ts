import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { integrationTests, startFirst } from "../tiers.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function testFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === "node_modules"
        ? []
        : testFiles(join(dir, entry.name))
      : entry.name.endsWith(".test.ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

// What makes a test leave the process: the built CLI, a spawned server, a child process, a browser.
const leavesProcess =
  /\b(?:ensureBuilt|spawnReference|runBuiltCli|serveOutcome|launchChromium|findChromium)\b|node:child_process|node:cluster|playwright/;

/** The marker found in a test file or in the test helpers it imports, if any; the helper test/helpers/reference.ts is judged by what the file calls. */
function processMarker(file: string, seen = new Set<string>()): string | null {
  if (seen.has(file)) return null;
  seen.add(file);
  const text = readFileSync(join(root, file), "utf8");
  const found = leavesProcess.exec(text);
  if (found !== null) return `${file}: ${found[0]}`;
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)) {
    const target = relative(root, resolve(dirname(join(root, file)), m[1] as string)).replace(/\.js$/, ".ts");
    if (!target.startsWith("test/") || target === "test/helpers/reference.ts" || !existsSync(join(root, target)))
      continue;
    const inner = processMarker(target, seen);
    if (inner !== null) return inner;
  }
  return null;
}

const all = [...testFiles("test"), ...testFiles("contracts")].sort();
const self = "test/architecture/tiers.test.ts"; // names the markers, spawns nothing
const unit = all.filter((f) => !integrationTests.includes(f) && f !== self);

describe("the test tiers (test/tiers.ts)", () => {
  it("name only test files that exist, once", () => {
    expect(integrationTests.filter((f) => !all.includes(f))).toEqual([]);
    expect(new Set(integrationTests).size).toBe(integrationTests.length);
    expect(startFirst.filter((f) => !all.includes(f))).toEqual([]);
  });

  it("leave the unit tier in-process: no spawned CLI, server or child process, no browser", () => {
    expect(unit.length).toBeGreaterThan(40);
    expect(unit.map((f) => processMarker(f)).filter((m) => m !== null)).toEqual([]);
  });

  it("would notice a spawning file", () => {
    expect(processMarker("test/reliability/crash.test.ts")).not.toBeNull();
  });
});
