// README blocks that name a file of examples/vite-react are that file, byte for byte, so the app CI
// builds with Vite 5 and 8 (test/package/msw-matrix.test.ts) is what a reader copies. The vitest
// blocks of both READMEs are written into a project and run there; here: that they exist and are
// whole files (every vitest function they use is imported: vitest's default is globals: false).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { namedSnippets, snippetFile } from "../helpers/readme-snippets.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const example = join(root, "examples/vite-react");
const readmes = { main: join(root, "README.md"), package: join(root, "packages/mock/README.md") };

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

describe("README snippets", () => {
  it("the Vite app's files in README are examples/vite-react's files", () => {
    const inExample = namedSnippets(readFileSync(readmes.main, "utf8")).filter((s) =>
      existsSync(join(example, s.file)),
    );
    expect(inExample.map((s) => s.file).sort()).toEqual([
      "src/api.ts",
      "src/main.tsx",
      "src/mocks/browser.ts",
      "src/mocks/handlers.ts",
      "src/mocks/story-setup.ts",
    ]);
    for (const snippet of inExample) {
      expect(snippet.code, `README.md line ${snippet.line}`).toBe(readFileSync(join(example, snippet.file), "utf8"));
    }
  });

  it("main.tsx renders after enableMocking() without a top-level await (Vite 5 and 6 targets lack it)", () => {
    const main = snippetFile(readmes.main, "src/main.tsx");
    expect(main).toMatch(/^enableMocking\(\)\.then\(/m);
    expect(main).not.toMatch(/^await /m);
    expect(main).toContain("quiet: true");
  });

  for (const [name, path] of Object.entries(readmes)) {
    it(`the ${name} README's vitest example is a whole file: every vitest function it calls is imported`, () => {
      const code = snippetFile(path, "src/checkout.test.ts");
      expect(code).toContain('from "stockproof-mock/msw"');
      expect(unimportedVitest(code)).toEqual([]);
    });
  }

  it("the package README links the full guide", () => {
    expect(readFileSync(readmes.package, "utf8")).toMatch(/\]\(https:\/\/[^)]+#for-frontend-developers\)/);
  });
});
