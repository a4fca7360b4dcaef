#!/usr/bin/env node
// Regenerates src/backend/generated/ from openapi/openapi.yaml; with --check, fails when the checked-in files are stale.
import { readFile, writeFile } from "node:fs/promises";
import openapiTS, { astToString } from "openapi-typescript";
import { parse } from "yaml";
import { answersSource } from "./gen-answers.mjs";
import { validatorsSource } from "./gen-validators.mjs";

const root = new URL("../", import.meta.url);
const specUrl = new URL("openapi/openapi.yaml", root);
const header = "// Generated from openapi/openapi.yaml by `npm run gen` — do not edit.\n";

const source = await readFile(specUrl, "utf8");
const document = parse(source);
const types = header + astToString(await openapiTS(document));
const spec = `${header}/* biome-ignore-all format: generated */\nexport const spec = ${JSON.stringify(document, null, 2)} as const;\n`;

// The demo catalog as a module, so code that also runs in browsers (the MSW handlers) needs no file read.
const demoCatalogSource = await readFile(new URL("catalog/demo.json", root), "utf8");
const demoCatalog = `${header.replace("openapi/openapi.yaml", "catalog/demo.json")}/* biome-ignore-all format: generated */
import type { components } from "./openapi.js";

export const demoCatalog: components["schemas"]["Catalog"] = ${JSON.stringify(JSON.parse(demoCatalogSource), null, 2)};
`;

// The spec's path templates alone: the MSW handlers match them without bundling the whole spec.
const specPaths = `${header}/* biome-ignore-all format: generated */
export const specPaths = ${JSON.stringify(Object.keys(document.paths), null, 2)} as const;
`;

const outputs = [
  [new URL("src/backend/generated/openapi.ts", root), types],
  [new URL("src/backend/generated/spec.ts", root), spec],
  [new URL("src/backend/generated/demo-catalog.ts", root), demoCatalog],
  [new URL("src/backend/generated/spec-paths.ts", root), specPaths],
  [new URL("src/backend/generated/validators.ts", root), validatorsSource(document, header)],
  [new URL("src/backend/generated/declared-answers.ts", root), answersSource(document, header)],
];

if (process.argv.includes("--check")) {
  const stale = [];
  for (const [url, text] of outputs) {
    const current = await readFile(url, "utf8").catch(() => "");
    if (current !== text) stale.push(url.pathname);
  }
  if (stale.length > 0) {
    console.error(`Generated files are stale: ${stale.join(", ")}\nRun \`npm run gen\` and commit the result.`);
    process.exit(1);
  }
  console.log("Generated files are up to date.");
} else {
  for (const [url, text] of outputs) await writeFile(url, text);
  console.log(`Regenerated ${outputs.map(([url]) => url.pathname.slice(root.pathname.length)).join(", ")}.`);
}
