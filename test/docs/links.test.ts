// Every relative link and #anchor of README.md and the other markdown files of the repository resolves
// to a file and to one of its headings as GitHub renders them; and the check itself finds broken ones.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { anchorsOf, brokenLinks, linksOf } from "../helpers/markdown-links.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const docs = readdirSync(join(root, "docs"))
  .filter((name) => name.endsWith(".md"))
  .map((name) => join(root, "docs", name));
const markdown = [
  join(root, "README.md"),
  ...docs,
  join(root, "contracts/README.md"),
  join(root, "packages/mock/README.md"),
];

describe("links in the markdown files", () => {
  it("every relative link and #anchor resolves", () => {
    expect(brokenLinks(markdown, root)).toEqual([]);
  });

  it("judges the links there are: README links each guide, and anchors into other files are among them", () => {
    const links = markdown.flatMap(linksOf);
    const fromReadme = links.filter((link) => link.file === join(root, "README.md")).map((link) => link.target);
    for (const doc of docs) expect(fromReadme).toContain(`docs/${doc.slice(join(root, "docs/").length)}`);
    expect(links.filter((link) => /\.md#./.test(link.target)).length).toBeGreaterThanOrEqual(5);
  });

  it("fails on a planted broken link: a missing file, a missing heading, a missing anchor in the same file", () => {
    const dir = mkdtempSync(join(tmpdir(), "stockproof-links-"));
    writeFileSync(
      join(dir, "guide.md"),
      [
        "# Guide",
        "## Against the real server (`npx stockproof serve`)",
        "## Repeat",
        "## Repeat",
        "```md",
        "[inside a code block](nowhere.md) is not a link",
        "## not a heading",
        "```",
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "README.md"),
      [
        "[ok](guide.md#against-the-real-server-npx-stockproof-serve), [second repeat](guide.md#repeat-1)",
        "[code span heading](guide.md#not-a-heading) and [gone](missing.md)",
        "[web](https://example.com/#nothing) `[in code](nowhere.md)` ![picture](gone.png)",
        "[self](#no-such-heading) [directory](./) [typo](guide.md#repeat-2)",
        "[defined]: guide.md#guide",
      ].join("\n"),
    );
    expect(brokenLinks([join(dir, "README.md"), join(dir, "guide.md")], dir)).toEqual([
      "README.md:2: guide.md#not-a-heading — no heading #not-a-heading in guide.md",
      "README.md:2: missing.md — no file missing.md",
      "README.md:3: gone.png — no file gone.png",
      "README.md:4: #no-such-heading — no heading #no-such-heading in this file",
      "README.md:4: guide.md#repeat-2 — no heading #repeat-2 in guide.md",
    ]);
  });

  it("slugs headings as GitHub does", () => {
    const anchors = anchorsOf(
      [
        "# stockproof",
        "## Error states on demand: `Prefer`, fault rules and the request journal",
        "## Replay the seed's load tests against your own dev server",
        "## What **bold** and STOCKPROOF_SEED keep",
        '<a id="kept"></a>',
      ].join("\n"),
    );
    expect([...anchors]).toEqual([
      "stockproof",
      "error-states-on-demand-prefer-fault-rules-and-the-request-journal",
      "replay-the-seeds-load-tests-against-your-own-dev-server",
      "what-bold-and-stockproof_seed-keep",
      "kept",
    ]);
  });
});

describe("README as the front door", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8").replace(/\n$/, "").split("\n");

  it("is at most 200 lines, none over 200 characters", () => {
    expect(readme.length).toBeLessThanOrEqual(200);
    expect(readme.filter((line) => line.length > 200)).toEqual([]);
  });

  it("opens with what stockproof is and the Two commands, not with how CI or the browser tests work inside", () => {
    const firstScreen = readme.slice(0, 40).join("\n");
    expect(firstScreen).toContain("## Two commands");
    expect(firstScreen).not.toMatch(/chromium|\.ci\/run|STOCKPROOF_CHROMIUM/i);
  });
});
