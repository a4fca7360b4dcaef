// The spec's request validators as standalone code (Ajv's code generator, run here instead of in
// every server start and every browser page): src/backend/generated/validators.ts, used by the server and
// the MSW handlers alike. No second schema: the code is compiled from the spec's own components.
import { Ajv2020 } from "ajv/dist/2020.js";
import standaloneModule from "ajv/dist/standalone/index.js";

const standaloneCode = standaloneModule.default ?? standaloneModule;

/** Component schemas the server validates requests and configuration against. */
export const requestSchemas = ["TokenRequest", "SetStockRequest", "CustomData", "Catalog", "FaultRulesRequest"];

const resolveParameter = (document, parameter) =>
  parameter.$ref === undefined ? parameter : document.components.parameters[parameter.$ref.split("/").at(-1)];

/** Each operation's query and path parameters as one object schema, e.g. params_reserveStock_query. */
function parameterSchemas(document) {
  const out = [];
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item)) {
      if (operation?.operationId === undefined) continue;
      const parameters = (operation.parameters ?? []).map((p) => resolveParameter(document, p));
      for (const location of ["query", "path"]) {
        const declared = parameters.filter((p) => p.in === location);
        if (declared.length === 0) continue;
        out.push({
          name: `params_${operation.operationId}_${location}`,
          schema: {
            type: "object",
            properties: Object.fromEntries(declared.map((p) => [p.name, p.schema])),
            required: declared.filter((p) => p.required === true).map((p) => p.name),
          },
        });
      }
    }
  }
  return out;
}

/** Local refs ("#/components/…") of a fragment, pointed at the registered spec document. */
const rebase = (schema) =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/'));

/** Ajv's standalone output requires its runtime helpers (CommonJS); an ES module imports them instead. */
function esmRuntime(code) {
  const imports = new Map();
  const body = code
    .replace(/^"use strict";/, "")
    .replace(/require\("ajv\/dist\/runtime\/([a-z0-9_]+)"\)\.default/g, (_, name) => {
      imports.set(name, `runtime_${name}`);
      return `interop(runtime_${name})`;
    });
  if (/require\(/.test(body)) throw new Error("Unexpected require() in Ajv's standalone code: extend esmRuntime");
  const lines = [...imports].map(([name, local]) => `import * as ${local} from "ajv/dist/runtime/${name}.js";`);
  if (imports.size > 0) {
    lines.push(
      "// The helper module is CommonJS: its function is `default`, one level deeper under Node's ESM interop.",
      'const interop = (m) => (typeof m.default === "function" ? m.default : m.default.default);',
    );
  }
  return `${lines.join("\n")}\n${body}`;
}

/** The module's source text, given the parsed spec and the generated-file header. */
export function validatorsSource(document, header) {
  // `verbose` gives each error its schema, so a pattern failure can quote the rule's description.
  const ajv = new Ajv2020({
    strict: false,
    allErrors: true,
    verbose: true,
    code: { source: true, esm: true, lines: true },
  });
  ajv.addSchema({ $id: "openapi.json", components: document.components });
  const mapping = {};
  for (const name of requestSchemas) {
    ajv.addSchema({ $id: `schema_${name}.json`, $ref: `openapi.json#/components/schemas/${name}` });
    mapping[`schema_${name}`] = `schema_${name}.json`;
  }
  for (const { name, schema } of parameterSchemas(document)) {
    ajv.addSchema({ $id: `${name}.json`, ...rebase(schema) });
    mapping[name] = `${name}.json`;
  }
  const names = Object.keys(mapping);
  return `${header}/* biome-ignore-all format: generated */
// @ts-nocheck — Ajv's standalone code (scripts/gen-validators.mjs); src/backend/spec/request-validators.ts types it.
${esmRuntime(standaloneCode(ajv, mapping))}
/** The names above, for lookups by operation and schema. */
export const validatorNames = ${JSON.stringify(names)} as const;
`;
}
