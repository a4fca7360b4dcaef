// The frontend guide's (docs/frontend.md) blocks that name a file of examples/vite-react are that file,
// byte for byte, so the app CI builds with Vite 5 and 8 (test/package/msw-matrix.test.ts) is what a
// reader copies. The vitest blocks of README, the guide and the package README are written into a
// project and run there; here: that they exist and are whole files (every vitest function they use
// is imported: vitest's default is globals: false).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { namedSnippets, snippetFile } from "../helpers/readme-snippets.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const example = join(root, "examples/vite-react");
const guide = join(root, "docs/frontend.md");
/** Each markdown file with a vitest example, and the file its blocks name. */
const vitestExamples = [
  { name: "README", path: join(root, "README.md"), file: "src/sold-out.test.ts" },
  { name: "frontend guide", path: guide, file: "src/checkout.test.ts" },
  { name: "package README", path: join(root, "packages/mock/README.md"), file: "src/checkout.test.ts" },
];

/** Names of vitest's functions a test file calls without importing them. */
function unimportedVitest(code: string): string[] {
  const imported = new Set(
    [...code.matchAll(/import\s*\{([^}]*)\}\s*from\s*"vitest"/g)].flatMap((m) =>
      (m[1] ?? "").split(",").map((name) => name.trim()),
    ),
  );
  const used = ["describe", "it", "test", "expect", "beforeAll", "beforeEach", "afterAll", "afterEach", "vi"].filter(
    (name) => new RegExp(`(?<![.\\w])${name}\\(`).test(code),
  );
  return used.filter((name) => !imported.has(name));
}

describe("README and frontend guide snippets", () => {
  it("the Vite app's files in the frontend guide are examples/vite-react's files", () => {
    const inExample = namedSnippets(readFileSync(guide, "utf8")).filter((s) => existsSync(join(example, s.file)));
    expect(inExample.map((s) => s.file).sort()).toEqual([
      "src/api.ts",
      "src/main.tsx",
      "src/mocks/browser.ts",
      "src/mocks/handlers.ts",
      "src/mocks/story-setup.ts",
    ]);
    for (const snippet of inExample) {
      expect(snippet.code, `docs/frontend.md line ${snippet.line}`).toBe(
        readFileSync(join(example, snippet.file), "utf8"),
      );
    }
  });

  it("main.tsx renders after enableMocking() without a top-level await (Vite 5 and 6 targets lack it)", () => {
    const main = snippetFile(guide, "src/main.tsx");
    expect(main).toMatch(/^enableMocking\(\)\.then\(/m);
    expect(main).not.toMatch(/^await /m);
    expect(main).toContain("quiet: true");
  });

  for (const { name, path, file } of vitestExamples) {
    it(`the ${name}'s vitest example is a whole file: every vitest function it calls is imported`, () => {
      const code = snippetFile(path, file);
      expect(code).toContain('from "stockproof-mock/msw"');
      expect(unimportedVitest(code)).toEqual([]);
    });
  }

  it("the package README links the full guide: README's section of that name, which links docs/frontend.md", () => {
    expect(readFileSync(join(root, "packages/mock/README.md"), "utf8")).toMatch(
      /\]\(https:\/\/[^)]+#for-frontend-developers\)/,
    );
    const section = readFileSync(join(root, "README.md"), "utf8")
      .split(/^## For frontend developers$/m)[1]
      ?.split(/^## /m)[0];
    expect(section).toContain("](docs/frontend.md)");
  });
});
