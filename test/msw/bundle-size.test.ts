// What a frontend pays for the mock in its page: stockproof-mock's build (every entry: msw handlers,
// client, types), bundled for the browser with its dependencies (hono, jose, openapi-fetch), minified
// and gzipped, msw excluded (the app has its own copy). Printed on every run.
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { bundleOptions } from "../../packages/mock/build.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const budgetBytes = 60 * 1024;

/** Code that must never reach a page: the server, the CLI, SQLite, Prism, Pact, and Ajv's compiler. */
const serverOnly =
  /^(?:src\/(?:(?:store\/sqlite|cli|server|contract|scenario|audit)\/|reference\.ts|config\/(?:serve-settings|catalog)\.ts|spec\/validators\.ts)|node_modules\/(?:better-sqlite3|@stoplight|@pact-foundation|undici|citty|autocannon|cli-progress|hdr-histogram-js|@hono\/node-server|ajv-formats|fast-uri|yaml)\/|node_modules\/ajv\/dist\/(?:core|2020|compile)|node:)/;

describe("the mock's browser bundle", () => {
  it(`is at most ${budgetBytes / 1024} kB minified + gzip without msw, and holds no server code`, async () => {
    const result = await build({
      ...bundleOptions,
      minify: true,
      sourcemap: false,
      write: false,
      platform: "browser",
      external: ["msw", "msw/*"],
      outdir: `${root}.vitest-tmp/bundle-size`,
      logLevel: "silent",
    });
    const minified = result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
    const gzipped = result.outputFiles.reduce((sum, file) => sum + gzipSync(file.contents, { level: 9 }).byteLength, 0);
    const largest = Object.entries(
      Object.values(result.metafile.outputs)
        .flatMap((output) => Object.entries(output.inputs))
        .reduce<Record<string, number>>((sizes, [input, { bytesInOutput }]) => {
          const owner = input.startsWith("node_modules/")
            ? input.split("/").slice(0, 2).join("/")
            : input.split("/").slice(0, 2).join("/");
          sizes[owner] = (sizes[owner] ?? 0) + bytesInOutput;
          return sizes;
        }, {}),
    )
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([owner, bytes]) => `${owner} ${(bytes / 1024).toFixed(1)} kB`);
    console.log(
      `stockproof mock in the browser (msw excluded): ${(minified / 1024).toFixed(1)} kB minified, ${(gzipped / 1024).toFixed(1)} kB gzip; largest parts (minified): ${largest.join(", ")}`,
    );

    expect(Object.keys(result.metafile.inputs).filter((input) => serverOnly.test(input))).toEqual([]);
    expect(gzipped).toBeLessThanOrEqual(budgetBytes);
  });
});
