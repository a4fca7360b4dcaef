// stockproof-mock against the oldest and the newest msw of its peer range, each with a Vite of 5–8
// (the oldest with the oldest, the newest with the newest): the vitest examples of README, the frontend guide
// and the package README, written from those files into the project, run and type-checked; the browser
// example in Chromium; and examples/vite-react — the guide's main.tsx, mocks/browser.ts and api.ts —
// built for staging and production, checked for what each build holds, and run in Chromium.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromiumContext } from "../helpers/browser.js";
import { snippetFile } from "../helpers/readme-snippets.js";
import { scratchDir } from "../helpers/scratch-dir.js";
import { buildExample, exampleDir, runExample, serveDirectory } from "../msw/browser-example.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const mockDir = join(root, "packages/mock");
const viteExample = join(root, "examples/vite-react");
const consumer = fileURLToPath(new URL("./consumer/", import.meta.url));
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));
const big = { maxBuffer: 16 * 1024 * 1024 };
const tsc = join(root, "node_modules/typescript/bin/tsc");
const vitest = join(root, "node_modules/vitest/vitest.mjs");

const readJson = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, Record<string, string>>;
const peerRange = readJson(join(mockDir, "package.json")).peerDependencies?.msw ?? "";
const oldest = /^>=(\d+\.\d+\.\d+) <3$/.exec(peerRange)?.[1];
/** The repository develops against the newest msw 2.x; the peer range's floor is the oldest. */
const newest = readJson(join(root, "package.json")).devDependencies?.msw;
/** The example app's own pins: React, and the newest Vite it is built with. */
const examplePins = readJson(join(viteExample, "package.json"));
/** The oldest Vite the frontend guide's snippets must build with (5.0.0 targets browsers without top-level await). */
const oldestVite = "5.0.0";
const newestVite = examplePins.devDependencies?.vite ?? "";
/** openapi-msw types the frontend guide's overrides; its peer range starts at msw 2.10.5. */
const openapiMsw = "2.0.0";
/** Strings of the demo data that a production build of an app using the client must not hold. */
const demoValues = ["stockproof-admin", "clientapp", "buyer-password", "mockServiceWorker", "setupWorker"];

describe("the msw and Vite ranges", () => {
  it("msw is >=X.Y.Z <3 and the repository's msw is inside it; Vite spans 5 to 8", () => {
    expect(oldest, `peerDependencies.msw is ${peerRange}`).toMatch(/^2\.\d+\.\d+$/);
    expect(newest).toMatch(/^2\.\d+\.\d+$/);
    expect(newestVite).toMatch(/^8\.\d+\.\d+$/);
  });
});

const dir = scratchDir("stockproof-msw-matrix-");
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

const atLeast = (version: string, floor: string) => {
  const [a, b] = [version, floor].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if ((a?.[i] ?? 0) !== (b?.[i] ?? 0)) return (a?.[i] ?? 0) > (b?.[i] ?? 0);
  return true;
};

/** Gzip and raw bytes of a build's JavaScript. */
function jsSize(distDir: string): { gzip: number; raw: number; files: string[] } {
  const files = readdirSync(join(distDir, "assets")).filter((file) => file.endsWith(".js"));
  const bytes = files.map((file) => readFileSync(join(distDir, "assets", file)));
  return {
    raw: bytes.reduce((sum, b) => sum + b.byteLength, 0),
    gzip: bytes.reduce((sum, b) => sum + gzipSync(b, { level: 9 }).byteLength, 0),
    files,
  };
}

const stripAnsi = (text: string) => text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"), "");
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

async function typeCheck(project: string, files: string[], compilerOptions: object = {}): Promise<string> {
  const base = JSON.parse(readFileSync(join(consumer, "tsconfig.json"), "utf8")) as { compilerOptions: object };
  writeFileSync(
    join(project, "tsconfig.check.json"),
    JSON.stringify({ compilerOptions: { ...base.compilerOptions, ...compilerOptions }, files }),
  );
  return run(process.execPath, [tsc, "-p", "tsconfig.check.json"], { cwd: project })
    .then(() => "")
    .catch((error: { stdout?: string }) => error.stdout ?? String(error));
}

const rows = [
  { msw: oldest ?? "2.0.0", vite: oldestVite },
  { msw: newest ?? "2.0.0", vite: newestVite },
];

for (const { msw: version, vite } of rows) {
  const typedOverrides = atLeast(version, "2.10.5");
  // The staging run serves what the build test wrote: the order is part of the test.
  describe(`msw ${version}, Vite ${vite}`, { shuffle: false }, () => {
    const project = join(dir, `msw-${version}`);

    beforeAll(async () => {
      cpSync(viteExample, project, { recursive: true, filter: (source) => !source.includes("node_modules") });
      writeFileSync(join(project, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
      const react = examplePins.dependencies?.react ?? "";
      const packages = [
        tarball,
        `msw@${version}`,
        `vite@${vite}`,
        `react@${react}`,
        `react-dom@${react}`,
        `@types/react@${examplePins.devDependencies?.["@types/react"]}`,
        `@types/react-dom@${examplePins.devDependencies?.["@types/react-dom"]}`,
        ...(typedOverrides ? [`openapi-msw@${openapiMsw}`] : []),
      ];
      await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", ...packages], {
        cwd: project,
        env: cleanEnv,
        ...big,
      });
      // The test runner is the repository's: only msw, Vite and stockproof-mock vary.
      symlinkSync(join(root, "node_modules/vitest"), join(project, "node_modules/vitest"));
    });

    it(`the vitest examples of README, the frontend guide and the package README${typedOverrides ? " (with the openapi-msw overrides)" : ""} pass and type-check`, async () => {
      const installed = readJson(join(project, "node_modules/msw/package.json")).version;
      expect(installed).toBe(version);
      // One msw in the app: the peer dependency is the app's own copy, never a nested second one.
      const copies = await run(
        "find",
        ["node_modules", "-path", "*/msw/package.json", "-not", "-path", "*/msw/*/msw/*"],
        { cwd: project },
      );
      expect(copies.stdout.trim().split("\n")).toEqual(["node_modules/msw/package.json"]);

      // The overrides block needs openapi-msw, which needs msw >= 2.10.5: older msw runs the first block.
      const guide = snippetFile(join(root, "docs/frontend.md"), "src/checkout.test.ts", { firstOnly: !typedOverrides });
      writeFileSync(join(project, "src/checkout.test.ts"), guide);
      const packageReadme = snippetFile(join(mockDir, "README.md"), "src/checkout.test.ts");
      writeFileSync(join(project, "src/package-readme.test.ts"), packageReadme);
      // README's own taste of the mock, a whole file of its own.
      writeFileSync(
        join(project, "src/sold-out.test.ts"),
        snippetFile(join(root, "README.md"), "src/sold-out.test.ts"),
      );
      const tested = await run(process.execPath, [vitest, "run", "--root", project, "src/"], {
        cwd: project,
        env: cleanEnv,
        ...big,
      })
        .then(({ stdout }) => stripAnsi(stdout))
        .catch((error: { stdout?: string; stderr?: string }) => `FAILED\n${error.stdout}\n${error.stderr}`);
      expect(tested).toMatch(new RegExp(`Tests\\s+${typedOverrides ? 5 : 3} passed`));
      expect(tested).not.toMatch(/FAILED/);

      copyFrom(consumer, "check-mock-types.ts.txt", project, "check-mock-types.ts");
      const files = [
        "check-mock-types.ts",
        "src/checkout.test.ts",
        "src/package-readme.test.ts",
        "src/sold-out.test.ts",
      ];
      if (typedOverrides) {
        copyFrom(consumer, "check-overrides-types.ts.txt", project, "check-overrides-types.ts");
        files.push("check-overrides-types.ts");
      }
      expect(await typeCheck(project, files)).toBe("");
    });

    it("the browser example runs on its service worker in Chromium", async () => {
      const source = readFileSync(join(exampleDir, "main.ts"), "utf8")
        .replace('"../../src/verify/client/index.js"', '"stockproof-mock/client"')
        .replace('"../../src/backend/msw/index.js"', '"stockproof-mock/msw"');
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

    it(`examples/vite-react builds with Vite ${vite}: staging mocks, production holds no mock, msw or demo value`, async () => {
      expect(readJson(join(project, "node_modules/vite/package.json")).version).toBe(vite);
      const appTypes = await typeCheck(
        project,
        [
          "src/main.tsx",
          "src/App.tsx",
          "src/api.ts",
          "src/mocks/browser.ts",
          "src/mocks/handlers.ts",
          "src/mocks/story-setup.ts",
        ],
        {
          module: "ESNext",
          moduleResolution: "Bundler",
          jsx: "react-jsx",
          types: ["vite/client"],
        },
      );
      expect(appTypes).toBe("");
      mkdirSync(join(project, "public"), { recursive: true });
      copyFrom(join(project, "node_modules/msw/lib"), "mockServiceWorker.js", join(project, "public"));
      const viteBin = join(project, "node_modules/vite/bin/vite.js");
      const build = (mode: string, outDir: string) =>
        run(process.execPath, [viteBin, "build", "--mode", mode, "--outDir", outDir, "--logLevel", "warn"], {
          cwd: project,
          env: cleanEnv,
          ...big,
        }).catch((error: { stdout?: string; stderr?: string }) => {
          throw new Error(`vite build --mode ${mode} failed:\n${error.stdout}\n${error.stderr}`);
        });
      await build("production", "dist-production");
      await build("staging", "dist-staging");

      const production = jsSize(join(project, "dist-production"));
      const staging = jsSize(join(project, "dist-staging"));
      const productionText = production.files
        .map((file) => readFileSync(join(project, "dist-production/assets", file), "utf8"))
        .join("\n");
      expect(production.files, "production: one chunk, the app's").toHaveLength(1);
      expect(demoValues.filter((value) => productionText.includes(value))).toEqual([]);
      expect(productionText).toContain("shop-web");
      expect(staging.files.length).toBe(2);
      const worker = gzipSync(readFileSync(join(project, "public/mockServiceWorker.js")), { level: 9 }).byteLength;
      console.log(
        `examples/vite-react, Vite ${vite}, msw ${version}: production ${kB(production.gzip)} gzip JS; staging ${kB(staging.gzip)} gzip — mocking adds ${kB(staging.gzip - production.gzip)} gzip (${kB(staging.raw - production.raw)} minified), loaded only when mocking, + mockServiceWorker.js ${kB(worker)} gzip`,
      );
    });

    it("the staging build runs on its service worker in Chromium, its console quiet", async () => {
      const served = await serveDirectory(join(project, "dist-staging"));
      const context = await launchChromiumContext(join(project, "vite-profile"));
      try {
        const page = await context.newPage();
        const logged: string[] = [];
        page.on("console", (message) => logged.push(`${message.type()}: ${message.text()}`));
        await page.goto(served.url);
        const status = page.locator("#status");
        // The app's own endpoint, answered by its handler beside stockproof's.
        await page.locator("#profile").filter({ hasText: "Demo Buyer" }).waitFor({ timeout: 30_000 });
        await page.getByLabel("E-mail").fill("buyer@example.com");
        await page.getByLabel("Password").fill("buyer-password");
        await page.getByRole("button", { name: "Log in" }).click();
        await status.filter({ hasText: /^Logged in\.$/ }).waitFor({ timeout: 30_000 });
        await page.getByRole("button", { name: "Buy SKU 311191" }).click();
        await status.filter({ hasText: /^Reserved P_/ }).waitFor({ timeout: 30_000 });
        await page.getByRole("button", { name: "Buy SKU 311191" }).click();
        await page.locator("#orders").filter({ hasText: /^2$/ }).waitFor({ timeout: 30_000 });
        expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
        // quiet: true — msw logs neither its start nor each request.
        expect(logged.filter((line) => /MSW|mocking enabled|oauth|orders\/payment/i.test(line))).toEqual([]);
      } finally {
        await context.close();
        await served.close();
      }
    });
  });
}

function copyFrom(fromDir: string, file: string, toDir: string, as = file): void {
  writeFileSync(join(toDir, as), readFileSync(join(fromDir, file)));
}
