/**
 * The import graph of src/ judged against the areas' allowed directions, written once here: the
 * layers test (test/architecture/layers.test.ts) and docs/architecture.md read this table.
 * `node scripts/import-graph.mjs [srcDir]` prints the back-arrows and cycles it finds.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Each area of src/ (a folder or file of base/, backend/ or verify/, or one at src/'s top) and the areas it may
 * import, lowest first.
 * An import from one area into another that its row does not list is a back-arrow.
 */
export const areas = {
  // The shared base: imports nothing above it.
  "base/report-kit": [],
  "base/config": [],
  // The server: domain → store → service → http, assembled, then served over HTTP or MSW.
  "backend/generated": [],
  "backend/domain": [],
  "backend/spec": ["backend/generated"],
  "backend/store": ["backend/domain"],
  "backend/service": ["backend/domain", "backend/store"],
  "backend/test-control": ["backend/generated", "backend/spec"],
  "backend/auth": ["base/config"],
  "backend/http": [
    "base/config",
    "backend/generated",
    "backend/domain",
    "backend/spec",
    "backend/service",
    "backend/test-control",
    "backend/auth",
  ],
  "backend/assemble.ts": [
    "base/config",
    "backend/generated",
    "backend/domain",
    "backend/store",
    "backend/service",
    "backend/test-control",
    "backend/auth",
    "backend/http",
  ],
  "backend/catalog": ["base/config", "backend/generated", "backend/domain", "backend/spec"],
  "backend/reference.ts": [
    "base/config",
    "backend/domain",
    "backend/store",
    "backend/auth",
    "backend/assemble.ts",
    "backend/catalog",
  ],
  "backend/msw": [
    "base/config",
    "backend/generated",
    "backend/domain",
    "backend/spec",
    "backend/store",
    "backend/test-control",
    "backend/auth",
    "backend/http",
    "backend/assemble.ts",
    "backend/catalog",
  ],
  "backend/server": [
    "base/config",
    "backend/domain",
    "backend/store",
    "backend/auth",
    "backend/http",
    "backend/catalog",
    "backend/reference.ts",
  ],
  // The verification tooling: a client of the server over HTTP, never imported by it.
  "verify/client": ["backend/generated"],
  "verify/probe": ["base/config"],
  "verify/calls": ["base/config", "backend/generated", "verify/client"],
  "verify/scenario": ["base/report-kit", "base/config", "backend/domain", "verify/client", "verify/probe"],
  "verify/history": [
    "base/report-kit",
    "base/config",
    "backend/domain",
    "verify/client",
    "verify/probe",
    "verify/scenario",
  ],
  "verify/audit": [
    "base/report-kit",
    "base/config",
    "backend/domain",
    "verify/client",
    "verify/probe",
    "verify/scenario",
    "verify/history",
  ],
  "verify/contract": ["base/report-kit", "base/config", "verify/client", "verify/calls"],
  "verify/export": ["base/config", "verify/scenario", "verify/history"],
  "verify/shrink": [
    "base/report-kit",
    "base/config",
    "backend/domain",
    "verify/scenario",
    "verify/history",
    "verify/audit",
  ],
  "verify/report": ["base/report-kit", "verify/scenario", "verify/audit", "verify/contract", "verify/shrink"],
  "verify/index.ts": ["verify/scenario", "verify/report"],
  // The commands and the package's entry, over both.
  "index.ts": [
    "base/config",
    "backend/generated",
    "backend/auth",
    "backend/catalog",
    "backend/reference.ts",
    "backend/server",
  ],
  cli: [
    "base/report-kit",
    "base/config",
    "backend/generated",
    "backend/domain",
    "backend/auth",
    "backend/reference.ts",
    "backend/server",
    "verify/client",
    "verify/probe",
    "verify/calls",
    "verify/scenario",
    "verify/history",
    "verify/audit",
    "verify/contract",
    "verify/export",
    "verify/shrink",
    "verify/report",
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

/** Every relative import of every source file, as paths under src/ ("backend/http/app.ts" → "backend/store/port.ts"); type-only ones too. */
export function sourceImports(src = defaultSrc) {
  return sourceFiles(src).flatMap((file) => {
    const text = readFileSync(file, "utf8");
    return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => ({
      from: relative(src, file),
      to: relative(src, resolve(dirname(file), m[1])).replace(/\.js$/, ".ts"),
    }));
  });
}

/** The folders of src/ that group areas (the base, the server, the tooling): an area is a folder inside one. */
export const groups = ["base", "backend", "verify"];

/**
 * The area of a path under src/: the longest area of the table it lies in; otherwise a folder of a group
 * ("verify/new-tool"), or its first folder, or the file itself at the top (an unknown area then).
 */
export function areaOf(path) {
  const known = Object.keys(areas)
    .filter((area) => path === area || path.startsWith(`${area}/`))
    .sort((a, b) => b.length - a.length)[0];
  if (known !== undefined) return known;
  const parts = path.split("/");
  return parts.length > 2 && groups.includes(parts[0]) ? `${parts[0]}/${parts[1]}` : (parts[0] ?? path);
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
