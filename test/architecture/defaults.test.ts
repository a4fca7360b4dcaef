import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  defaultAdminKey,
  defaultAudience,
  defaultDb,
  defaultTokenSecret,
  demoClient,
  demoUsers,
} from "../../src/base/config/defaults.js";
import { vocabulary } from "../../src/base/config/vocabulary.js";

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

// src/backend/generated is written by `npm run gen` from the spec, whose examples show the demo data.
const files = sourceFiles(src)
  .filter((file) => !relative(src, file).startsWith("backend/generated"))
  .map((file) => ({ path: relative(src, file), text: readFileSync(file, "utf8") }));

/** Code lines (not comments) of src/ outside `home` that spell `literal`. */
function spelledOutside(literal: string, home: string): string[] {
  return files.flatMap(({ path, text }) => {
    if (path === home) return [];
    return text
      .split("\n")
      .map((line, index) => ({ line: line.trim(), at: `${path}:${index + 1}` }))
      .filter(({ line }) => line.includes(literal) && !/^(?:\/\/|\/\*\*?|\*)/.test(line))
      .map(({ at }) => at);
  });
}

/**
 * Each default, as a literal a second copy would spell, and the one file that may write it.
 * Quoted where the bare text is too common (the client's secret is "secret").
 */
const defaults: readonly (readonly [string, string])[] = [
  [`"${defaultAdminKey}"`, "base/config/defaults.ts"],
  [`"${defaultAudience}"`, "base/config/defaults.ts"],
  [defaultTokenSecret, "base/config/defaults.ts"],
  [`"${defaultDb}"`, "base/config/defaults.ts"],
  [`"${demoClient.id}"`, "base/config/defaults.ts"],
  ...demoUsers.flatMap((u) => [
    [u.username, "base/config/defaults.ts"] as const,
    [u.password, "base/config/defaults.ts"] as const,
    [u.userName, "base/config/defaults.ts"] as const,
  ]),
  [vocabulary["hold-ttl"].defaultText, "base/config/vocabulary.ts"],
  [vocabulary["expiry-grace"].defaultText, "base/config/vocabulary.ts"],
  [vocabulary.users.defaultText, "base/config/vocabulary.ts"],
  [vocabulary.client.defaultText, "base/config/vocabulary.ts"],
  [vocabulary["hold-ttl"].description, "base/config/vocabulary.ts"],
  [vocabulary["settle-timeout"].description, "base/config/vocabulary.ts"],
];

/**
 * The same text meaning something else: the Pact provider's name is the pact files'
 * (contracts/pacts), not the tokens' audience; the seed's sample request is quoted verbatim.
 */
const otherIdeas: readonly string[] = ["verify/contract/pact-verify.ts", "verify/calls/cases/seed-sample.ts"];

describe("every default is written once (config/defaults.ts, config/vocabulary.ts)", () => {
  it("finds each default where it is defined", () => {
    for (const [literal, home] of defaults) {
      expect(files.find((f) => f.path === home)?.text, `${literal} in ${home}`).toContain(
        literal.startsWith('"') ? literal : literal.replace(/"/g, '\\"'),
      );
    }
    expect(defaults.length).toBeGreaterThan(10);
  });

  it.each(defaults)("has no second spelling of %s in src/ (comments aside)", (literal, home) => {
    expect(spelledOutside(literal, home).filter((at) => !otherIdeas.some((file) => at.startsWith(`${file}:`)))).toEqual(
      [],
    );
  });

  it("would catch a second spelling", () => {
    const planted = { path: "cli/planted.ts", text: `const key = "${defaultAdminKey}";\n` };
    files.push(planted);
    try {
      expect(spelledOutside(`"${defaultAdminKey}"`, "base/config/defaults.ts")).toEqual(["cli/planted.ts:1"]);
    } finally {
      files.pop();
    }
  });
});
