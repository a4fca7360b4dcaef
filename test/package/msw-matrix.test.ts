// stockproof-mock against the oldest and the newest msw of its peer range: the README's vitest example
// (run, and type-checked with the handlers typed by that msw) and the browser example in Chromium.
import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExample, exampleDir, runExample, serveDirectory } from "../msw/browser-example.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const mockDir = join(root, "packages/mock");
const consumer = fileURLToPath(new URL("./consumer/", import.meta.url));
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));
const big = { maxBuffer: 16 * 1024 * 1024 };

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, Record<string, string>>;
const peerRange = readJson(join(mockDir, "package.json")).peerDependencies?.msw ?? "";
const oldest = /^>=(\d+\.\d+\.\d+) <3$/.exec(peerRange)?.[1];
/** The repository develops against the newest msw 2.x; the peer range's floor is the oldest. */
const newest = readJson(join(root, "package.json")).devDependencies?.msw;

describe("the msw peer range", () => {
  it("is >=X.Y.Z <3 and the repository's msw is inside it", () => {
    expect(oldest, `peerDependencies.msw is ${peerRange}`).toMatch(/^2\.\d+\.\d+$/);
    expect(newest).toMatch(/^2\.\d+\.\d+$/);
  });
});

const dir = mkdtempSync(join(tmpdir(), "stockproof-msw-matrix-"));
let tarball: string;
beforeAll(async () => {
  const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
    cwd: mockDir,
    env: cleanEnv,
    ...big,
  });
  tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]?.filename ?? "");
});
afterAll(() => run("rm", ["-rf", dir]));

for (const version of [oldest ?? "2.0.0", newest ?? "2.0.0"]) {
  describe(`msw ${version}`, () => {
    const project = join(dir, `msw-${version}`);

    beforeAll(async () => {
      mkdirSync(project, { recursive: true });
      writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
      await run(
        "npm",
        ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball, `msw@${version}`],
        { cwd: project, env: cleanEnv, ...big },
      );
      // The test runner is the repository's: only msw and stockproof-mock vary.
      symlinkSync(join(root, "node_modules/vitest"), join(project, "node_modules/vitest"));
    });

    it("the README's vitest example passes and type-checks", async () => {
      const installed = readJson(join(project, "node_modules/msw/package.json")).version;
      expect(installed).toBe(version);
      // One msw in the app: the peer dependency is the app's own copy, never a nested second one.
      const copies = await run(
        "find",
        ["node_modules", "-path", "*/msw/package.json", "-not", "-path", "*/msw/*/msw/*"],
        {
          cwd: project,
        },
      );
      expect(copies.stdout.trim().split("\n")).toEqual(["node_modules/msw/package.json"]);
      copyFileSync(join(consumer, "readme-example.test.ts.txt"), join(project, "readme-example.test.ts"));
      const vitest = join(root, "node_modules/vitest/vitest.mjs");
      const tested = await run(process.execPath, [vitest, "run", "--root", project], {
        cwd: project,
        env: cleanEnv,
        ...big,
      })
        .then(({ stdout }) => stdout)
        .catch((error: { stdout?: string; stderr?: string }) => `FAILED\n${error.stdout}\n${error.stderr}`);
      expect(tested).toMatch(/1 passed/);
      expect(tested).not.toMatch(/FAILED/);

      copyFileSync(join(consumer, "check-mock-types.ts.txt"), join(project, "check-mock-types.ts"));
      const base = JSON.parse(readFileSync(join(consumer, "tsconfig.json"), "utf8")) as { compilerOptions: object };
      writeFileSync(
        join(project, "tsconfig.json"),
        JSON.stringify({ compilerOptions: base.compilerOptions, files: ["check-mock-types.ts"] }),
      );
      const tsc = join(root, "node_modules/typescript/bin/tsc");
      const typed = await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project })
        .then(() => "")
        .catch((error: { stdout?: string }) => error.stdout ?? String(error));
      expect(typed).toBe("");
    });

    it("the browser example runs on its service worker in Chromium", async () => {
      const source = readFileSync(join(exampleDir, "main.ts"), "utf8")
        .replace('"../../src/client/index.js"', '"stockproof-mock/client"')
        .replace('"../../src/msw/index.js"', '"stockproof-mock/msw"');
      expect(source).toContain('from "stockproof-mock/msw"');
      writeFileSync(join(project, "main.ts"), source);
      const site = join(project, "site");
      await buildExample({
        entry: join(project, "main.ts"),
        // What `npx msw init` copies (msw before 2.1 does not export it as msw/mockServiceWorker.js).
        workerScript: join(project, "node_modules/msw/lib/mockServiceWorker.js"),
        outDir: site,
      });
      const served = await serveDirectory(site);
      try {
        const { consoleErrors, ...shown } = await runExample(served.url, join(project, "profile"));
        expect(shown.status, consoleErrors.join("\n")).toBe("Done.");
        expect(shown.controlledByWorker).toBe(true);
        expect(shown.availableAfterCancel).toBe(shown.availableBefore);
        expect(shown.refusal).toContain("Sold out: SKU 311191");
      } finally {
        await served.close();
      }
    });
  });
}
