import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { bundleOptions } from "../../packages/mock/build.mjs";
import { scratchDir } from "../helpers/scratch-dir.js";
import { type Lockfile, packagesBesides } from "./lockfile.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const mockDir = join(root, "packages/mock");
const consumer = fileURLToPath(new URL("./consumer/", import.meta.url));
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
const mswVersion = (
  JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { devDependencies: { msw: string } }
).devDependencies.msw;
/** The mock's promise to frontends: what it adds to an app that has msw. */
const maxPackagesBesidesMsw = 15;

/** npm's own settings from an enclosing `npm test` must not leak into the consumer project's npm. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));
const big = { maxBuffer: 16 * 1024 * 1024 };

const entries = [
  "src/index.ts",
  "src/backend/msw/index.ts",
  "src/verify/client/index.ts",
  "src/backend/generated/openapi.ts",
];

/** Sources the server package's entries reach whose dist/ output is missing or older: the tarball ships dist/ as it is. */
async function staleServerOutputs(): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: entries.map((entry) => join(root, entry)),
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outdir: join(root, "dist"),
    logLevel: "silent",
  });
  return Object.keys(metafile.inputs)
    .filter((input) => input.startsWith("src/") && input.endsWith(".ts"))
    .filter((input) => {
      const built = join(root, "dist", input.slice("src/".length).replace(/\.ts$/, ".js"));
      return !existsSync(built) || statSync(built).mtimeMs < statSync(join(root, input)).mtimeMs;
    });
}

/** Sources the mock's bundle reaches that are newer than packages/mock/dist. */
async function staleMockInputs(): Promise<string[]> {
  const { metafile } = await build({ ...bundleOptions, write: false, logLevel: "silent" });
  const built = join(mockDir, "dist", "msw.js");
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  return Object.keys(metafile.inputs).filter((input) => statSync(join(root, input)).mtimeMs > builtAt);
}

interface Packed {
  readonly tarball: string;
  readonly files: string[];
}

async function pack(dir: string, destination: string): Promise<Packed> {
  const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", destination], {
    cwd: dir,
    env: cleanEnv,
    ...big,
  });
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  if (info === undefined) throw new Error(`npm pack printed no result: ${packed.stdout}`);
  return { tarball: join(destination, info.filename), files: info.files.map((f) => f.path) };
}

/** Every source map in the tarball either embeds its sources or points at files the tarball ships. */
async function unreadableSourceMaps(packed: Packed, dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const file of packed.files.filter((f) => f.endsWith(".map"))) {
    const map = JSON.parse(readFileSync(join(dir, file), "utf8")) as { sources: string[]; sourcesContent?: unknown[] };
    const embedded = map.sources.every((_, i) => typeof map.sourcesContent?.[i] === "string");
    if (!embedded) out.push(file);
  }
  return out;
}

function freshProject(dir: string, name: string): string {
  const project = join(dir, name);
  mkdirSync(project, { recursive: true });
  writeFileSync(join(project, "package.json"), JSON.stringify({ name, private: true, type: "module" }));
  return project;
}

/** tsc over one file of the project, with the consumer's strict options and the given module resolution. */
async function typeErrors(project: string, file: string, resolution: "NodeNext" | "node10"): Promise<string> {
  const base = JSON.parse(readFileSync(join(consumer, "tsconfig.json"), "utf8")) as {
    compilerOptions: Record<string, unknown>;
  };
  const config = `tsconfig.${resolution}.json`;
  const module = resolution === "node10" ? "ESNext" : "NodeNext";
  writeFileSync(
    join(project, config),
    JSON.stringify({
      compilerOptions: { ...base.compilerOptions, module, moduleResolution: resolution },
      files: [file],
    }),
  );
  const typed = await run(process.execPath, [tsc, "-p", config], { cwd: project }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error), failed: true }),
  );
  return "failed" in typed ? typed.stdout : "";
}

describe("the published packages", () => {
  const dir = scratchDir("stockproof-pack-");
  // rm is several times faster than rmSync on the consumer's ~20,000 installed files.
  afterAll(() => run("rm", ["-rf", dir]));
  // Packed once, by whichever test needs it first: each test passes alone and in either order.
  let mockPacked: Promise<Packed> | undefined;
  const packedMock = () => {
    mockPacked ??= (async () => {
      expect(await staleMockInputs(), "packages/mock/dist is older than these sources: run `npm run build`").toEqual(
        [],
      );
      return pack(mockDir, dir);
    })();
    return mockPacked;
  };

  it("stockproof-mock: installs with msw alone — few packages, no install script, no native module — and every entry works", async () => {
    const mock = await packedMock();
    for (const file of [
      "LICENSE",
      "README.md",
      "dist/msw.js",
      "dist/msw.d.ts",
      "dist/client.d.ts",
      "dist/types.d.ts",
    ]) {
      expect(mock.files).toContain(file);
    }
    expect(await unreadableSourceMaps(mock, mockDir), "source maps without sourcesContent").toEqual([]);

    const project = freshProject(dir, "frontend");
    const started = performance.now();
    // --ignore-scripts: whether any package has an install script is read from the lockfile below.
    await run(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", mock.tarball, `msw@${mswVersion}`],
      { cwd: project, env: cleanEnv, ...big },
    );
    const seconds = (performance.now() - started) / 1000;
    const lock = JSON.parse(readFileSync(join(project, "package-lock.json"), "utf8")) as Lockfile;
    const added = packagesBesides(lock, "msw").filter((name) => name !== "stockproof-mock");
    console.log(
      `stockproof-mock + msw ${mswVersion} from the npm cache: ${seconds.toFixed(1)} s; besides msw and its dependencies: stockproof-mock + ${added.length} (${added.join(", ")})`,
    );
    expect(added.length).toBeLessThanOrEqual(maxPackagesBesidesMsw);
    const scripted = Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript === true);
    const foreignScripts = scripted.map(([path]) => path).filter((path) => !/^node_modules\/msw$/.test(path));
    expect(foreignScripts, "packages with install scripts besides msw's own").toEqual([]);
    const native = await run("find", ["node_modules", "-name", "*.node", "-o", "-name", "binding.gyp"], {
      cwd: project,
    });
    expect(native.stdout.trim(), "native modules").toBe("");

    copyFileSync(join(consumer, "use-mock.mjs"), join(project, "use-mock.mjs"));
    const used = await run(process.execPath, ["use-mock.mjs"], { cwd: project });
    const results = JSON.parse(used.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
    expect(results).toEqual({
      rootEntry: "function",
      typesExports: [],
      login: 200,
      reserved: "RESERVED",
      refused: "UNKNOWN_SKU",
      available: (results.demoStock as number) - 2,
      demoStock: expect.any(Number),
    });

    copyFileSync(join(consumer, "check-mock-types.ts.txt"), join(project, "check-mock-types.ts"));
    expect(await typeErrors(project, "check-mock-types.ts", "NodeNext")).toBe("");
    expect(await typeErrors(project, "check-mock-types.ts", "node10")).toBe("");
  });

  it("stockproof (CLI/server): packs, installs with the mock, and every entry imports, runs and type-checks", async () => {
    const stale = await staleServerOutputs();
    expect(stale, "dist/ is older than these sources: run `npm run build` first (npm test does)").toEqual([]);
    const server = await pack(root, dir);
    for (const file of ["LICENSE", "dist/index.js", "lib/msw.d.ts", "lib/client.d.ts", "lib/types.d.ts"]) {
      expect(server.files).toContain(file);
    }
    // The mock's sources ship once, in stockproof-mock: the server package re-exports them (lib/).
    // Only the two dependency-free modules the runner and the catalogue import ship in both.
    const runnerModules = /^dist\/verify\/client\/(paths|reserve-query)\.(js|js\.map|d\.ts)$/;
    expect(
      server.files.filter((file) => /^dist\/(backend\/msw|verify\/client)\//.test(file) && !runnerModules.test(file)),
    ).toEqual([]);
    expect(await unreadableSourceMaps(server, root), "source maps without sourcesContent").toEqual([]);

    const mock = await packedMock();
    const project = freshProject(dir, "consumer");
    // The mock's tarball stands in for the registry's stockproof-mock@0.1.0. Dependencies come from the
    // npm cache; scripts are skipped (SQLite's native build is not needed here).
    await run(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", mock.tarball, server.tarball],
      { cwd: project, env: cleanEnv, ...big },
    );

    copyFileSync(join(consumer, "use-entries.mjs"), join(project, "use-entries.mjs"));
    const used = await run(process.execPath, ["use-entries.mjs"], { cwd: project });
    const results = JSON.parse(used.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
    const demoStock = results.demoStock as number;
    expect(results).toEqual({
      specTitle: expect.any(String),
      typesExports: [],
      reserved: "RESERVED",
      demoStock: expect.any(Number),
      available: demoStock - 2,
      mswLogin: 200,
      referenceLogin: 200,
    });

    copyFileSync(join(consumer, "check-types.ts.txt"), join(project, "check-types.ts"));
    expect(await typeErrors(project, "check-types.ts", "NodeNext")).toBe("");
    expect(await typeErrors(project, "check-types.ts", "node10")).toBe("");
  });
});
