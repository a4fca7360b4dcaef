import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const consumer = fileURLToPath(new URL("./consumer/", import.meta.url));
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

/** npm's own settings from an enclosing `npm test` must not leak into the consumer project's npm. */
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("npm_")));

const entries = ["src/index.ts", "src/msw/index.ts", "src/client/index.ts", "src/generated/openapi.ts"];

/** Sources the exported entries reach whose dist/ output is missing or older: the tarball ships dist/ as it is. */
async function staleOutputs(): Promise<string[]> {
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

describe("the published package", () => {
  const dir = mkdtempSync(join(tmpdir(), "stockproof-pack-"));
  // rm is several times faster than rmSync on the consumer's ~20,000 installed files.
  afterAll(() => run("rm", ["-rf", dir]));

  it("packs, installs into a fresh project, and every entry imports, runs and type-checks", async () => {
    const stale = await staleOutputs();
    expect(stale, "dist/ is older than these sources: run `npm run build` first (npm test does)").toEqual([]);

    const packed = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], {
      cwd: root,
      env: cleanEnv,
    });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    if (info === undefined) throw new Error(`npm pack printed no result: ${packed.stdout}`);
    const shipped = info.files.map((f) => f.path);
    for (const file of [
      "dist/index.js",
      "dist/msw/index.d.ts",
      "dist/client/index.d.ts",
      "dist/generated/openapi.d.ts",
    ]) {
      expect(shipped).toContain(file);
    }

    const project = join(dir, "consumer");
    await run("mkdir", ["-p", project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    // Dependencies come from the npm cache; scripts are skipped (SQLite's native build is not needed here).
    await run(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(dir, info.filename)],
      { cwd: project, env: cleanEnv, maxBuffer: 16 * 1024 * 1024 },
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
    copyFileSync(join(consumer, "tsconfig.json"), join(project, "tsconfig.json"));
    const typed = await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: project }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error), failed: true }),
    );
    expect("failed" in typed ? typed.stdout : "").toBe("");
  });
});
