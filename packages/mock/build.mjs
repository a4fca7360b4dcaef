#!/usr/bin/env node
// Builds stockproof-mock from the repository's shared sources (src/): esbuild bundles the entries for
// browsers and Node (msw, hono, jose and openapi-fetch stay imports), tsc writes the declarations.
// The server package compiles the same files, so the handlers and `stockproof serve` run one code.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const manifest = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const entries = ["index", "msw", "client", "types"];

/** esbuild's options, shared with the tests that measure the bundle and check what it reaches. */
export const bundleOptions = {
  entryPoints: Object.fromEntries(entries.map((name) => [name, join(here, "entries", `${name}.ts`)])),
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external: [...Object.keys(manifest.peerDependencies), ...Object.keys(manifest.dependencies)].flatMap((name) => [
    name,
    `${name}/*`,
  ]),
  outdir: dist,
  chunkNames: "chunks/[name]-[hash]",
  sourcemap: true,
  sourcesContent: true,
  metafile: true,
  logLevel: "warning",
};

/** Declaration files reachable from the entries (tsc writes one per source file; most are internal). */
function reachableDeclarations(root) {
  const seen = new Set();
  const queue = entries.map((name) => join(root, "packages/mock/entries", `${name}.d.ts`));
  while (queue.length > 0) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const [, specifier] of readFileSync(file, "utf8").matchAll(/(?:from|import\()\s*"(\.{1,2}\/[^"]+)"/g)) {
      queue.push(resolve(dirname(file), specifier.replace(/\.js$/, ".d.ts")));
    }
  }
  return seen;
}

function prune(dir, keep) {
  for (const line of execFileSync("find", [dir, "-type", "f"], { encoding: "utf8" }).split("\n").filter(Boolean)) {
    if (!keep.has(line)) rmSync(line);
  }
  execFileSync("find", [dir, "-type", "d", "-empty", "-delete"]);
}

export async function buildMock() {
  rmSync(dist, { recursive: true, force: true });
  const result = await build(bundleOptions);
  const tsc = join(here, "../../node_modules/typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "-p", join(here, "tsconfig.json")], { stdio: "inherit" });
  const types = join(dist, "dts");
  prune(types, reachableDeclarations(types));
  for (const name of entries) {
    const target = relative(dist, join(types, "packages/mock/entries", `${name}.js`));
    writeFileSync(join(dist, `${name}.d.ts`), `export * from "./${target}";\n`);
  }
  if (!existsSync(join(dist, "msw.d.ts"))) throw new Error("stockproof-mock: declarations were not written");
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildMock();
