/**
 * The import graph of src/ judged against the areas' allowed directions, written once here: the
 * layers test (test/architecture/layers.test.ts) and docs/architecture.md read this table.
 * `node scripts/import-graph.mjs [srcDir]` prints the back-arrows and cycles it finds.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Each area of src/ (a folder, or a file at src/'s top) and the areas it may import, lowest first.
 * An import from one area into another that its row does not list is a back-arrow.
 */
export const areas = {
  // The shared base.
  generated: [],
  domain: [],
  report: [],
  spec: ["generated"],
  client: ["generated"],
  config: ["domain", "generated", "spec"],
  // The server: domain → store → service → http, assembled, then served over HTTP or MSW.
  store: ["domain"],
  service: ["domain", "store"],
  "test-control": ["generated", "spec"],
  auth: ["config"],
  http: ["auth", "config", "domain", "generated", "service", "spec", "test-control"],
  "assemble.ts": ["auth", "config", "domain", "generated", "http", "service", "store", "test-control"],
  "reference.ts": ["assemble.ts", "auth", "config", "domain", "store"],
  msw: ["assemble.ts", "auth", "config", "domain", "generated", "http", "spec", "store", "test-control"],
  server: ["reference.ts", "auth", "config", "domain", "http", "store"],
  "index.ts": ["reference.ts", "server", "auth", "config", "generated"],
  // The verification tooling: a client of the server over HTTP, never imported by it.
  probe: ["config"],
  catalogue: ["client", "config", "generated"],
  scenario: ["client", "config", "domain", "probe", "report"],
  history: ["client", "config", "domain", "probe", "report", "scenario"],
  audit: ["client", "config", "domain", "history", "probe", "report", "scenario"],
  contract: ["catalogue", "client", "config", "report"],
  export: ["config", "history", "scenario"],
  shrink: ["audit", "config", "domain", "history", "report", "scenario"],
  cli: [
    "reference.ts",
    "server",
    "auth",
    "audit",
    "catalogue",
    "client",
    "config",
    "contract",
    "domain",
    "export",
    "generated",
    "history",
    "probe",
    "report",
    "scenario",
    "shrink",
  ],
};

const defaultSrc = fileURLToPath(new URL("../src/", import.meta.url));

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every relative import of every source file, as paths under src/ ("http/app.ts" → "store/port.ts"); type-only ones too. */
export function sourceImports(src = defaultSrc) {
  return sourceFiles(src).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => ({
      from: relative(src, file),
      to: relative(src, resolve(dirname(file), m[1])).replace(/\.js$/, ".ts"),
    }));
  });
}

/** The area of a path under src/: its first folder, or the file itself at the top. */
export function areaOf(path) {
  const slash = path.indexOf("/");
  return slash < 0 ? path : path.slice(0, slash);
}

/** Strongly connected components with more than one node (Tarjan), each sorted. */
function cycles(edges) {
  const next = new Map();
  for (const [a, b] of edges) {
    if (!next.has(a)) next.set(a, new Set());
    if (!next.has(b)) next.set(b, new Set());
    next.get(a).add(b);
  }
  const index = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const found = [];
  let counter = 0;
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** The imports judged, the back-arrows among them, and the cycles between areas and between files. */
export function judge(imports = sourceImports()) {
  const crossing = imports.filter((i) => areaOf(i.from) !== areaOf(i.to));
  const unknownAreas = [...new Set(imports.flatMap((i) => [areaOf(i.from), areaOf(i.to)]))]
    .filter((a) => !(a in areas))
    .sort();
  const backArrows = crossing
    .filter((i) => !(areas[areaOf(i.from)] ?? []).includes(areaOf(i.to)))
    .map((i) => `${i.from} → ${i.to}`);
  const areaCycles = cycles(crossing.map((i) => [areaOf(i.from), areaOf(i.to)])).map((c) => c.join(" ↔ "));
  const fileCycles = cycles(imports.map((i) => [i.from, i.to])).map((c) => c.join(" ↔ "));
  const tableCycles = cycles(Object.entries(areas).flatMap(([a, may]) => may.map((b) => [a, b]))).map((c) =>
    c.join(" ↔ "),
  );
  return { judged: crossing.length, unknownAreas, backArrows, areaCycles, fileCycles, tableCycles };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const src = process.argv[2] ? resolve(process.argv[2]) : defaultSrc;
  const imports = sourceImports(src);
  const result = judge(imports);
  console.log(`${imports.length} imports, ${result.judged} between areas`);
  for (const key of ["unknownAreas", "backArrows", "areaCycles", "fileCycles", "tableCycles"]) {
    console.log(`${key}: ${result[key].length}`);
    for (const line of result[key]) console.log(`  ${line}`);
  }
}
