import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type DomainErrorCode, refusalKinds } from "../../src/domain/errors.js";
import { problemTable } from "../../src/http/problems.js";
import { referenceStatus } from "../../src/scenario/model.js";

const src = fileURLToPath(new URL("../../src/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every relative import of every source file, as paths under src/ ("http/app.ts" → "store/port.js"). */
const imports = sourceFiles(src).flatMap((file) => {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => ({
    from: relative(src, file),
    to: relative(src, resolve(dirname(file), m[1] as string)),
  }));
});

/** Imports from files under `from` into anything under one of `forbidden`. */
const crossing = (from: string, forbidden: readonly string[]) =>
  imports
    .filter((i) => i.from.startsWith(from) && forbidden.some((f) => i.to.startsWith(f)))
    .map((i) => `${i.from} → ${i.to}`);

describe("the layers (domain → store → service → http; scenario as a client of HTTP)", () => {
  it("finds the imports it judges", () => {
    expect(imports.some((i) => i.from === "http/app.ts" && i.to.startsWith("service/"))).toBe(true);
  });

  it("keeps the domain pure and the store under the service", () => {
    expect(crossing("domain/", ["store/", "service/", "http/", "scenario/", "auth/", "generated/"])).toEqual([]);
    expect(crossing("store/", ["service/", "http/", "scenario/"])).toEqual([]);
    expect(crossing("service/", ["http/", "scenario/"])).toEqual([]);
  });

  it("keeps the test-control rules free of HTTP and storage, so the MSW handlers and the server share them", () => {
    expect(crossing("test-control/", ["http/", "store/", "service/", "server/", "msw/", "scenario/"])).toEqual([]);
  });

  it("lets HTTP reach the store only through the service", () => {
    expect(crossing("http/", ["store/"])).toEqual([]);
  });

  it("keeps the scenario oracle on the domain's codes, not the HTTP edge or the server's parts", () => {
    expect(crossing("scenario/", ["http/", "store/", "service/"])).toEqual([]);
  });

  it("keeps the shrinker a client of the runner and the audit, under the CLI", () => {
    expect(crossing("shrink/", ["cli/", "http/", "store/", "service/", "server/"])).toEqual([]);
  });

  it("keeps the report kit free of what it reports on", () => {
    const outside = imports.filter((i) => i.from.startsWith("report/") && !i.to.startsWith("report/"));
    expect(outside.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });
});

describe("the oracle's statuses", () => {
  it("are the HTTP table's for every domain refusal", () => {
    for (const code of Object.keys(refusalKinds) as DomainErrorCode[]) {
      expect([code, referenceStatus(code)]).toEqual([code, problemTable[code].status]);
    }
  });
});
