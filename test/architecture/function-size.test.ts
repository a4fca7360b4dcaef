import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../src/", import.meta.url));

/** The longest a function, method or arrow body may be, in lines from its first to its last. */
const maxFunctionLines = 120;
/** Files are small: half of them at most this many lines. */
const maxMedianFileLines = 70;
/**
 * Functions still over the limit, each waiting for its own split (file and name; the line moves).
 * The list only shrinks: a function that gets short must leave it, and no other may join it.
 */
const notYetSplit: readonly string[] = [];

/** Hand-written source: src/backend/generated is written by `npm run gen` and not judged here. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return relative(src, path) === "backend/generated" ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

interface Measured {
  readonly where: string;
  readonly lines: number;
}

const isFunction = (node: ts.Node): node is ts.FunctionLikeDeclaration =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isSetAccessorDeclaration(node);

/** The name a reader would search for: the declaration's own, else the variable or property it is assigned to. */
function nameOf(node: ts.FunctionLikeDeclaration): string {
  if (node.name !== undefined) return node.name.getText();
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && parent.name !== undefined)
    return parent.name.getText();
  return "(anonymous)";
}

/** Every function-like node's length in lines, counted over its whole text (signature to closing brace). */
function measure(text: string, file: string): Measured[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Measured[] = [];
  const visit = (node: ts.Node) => {
    if (isFunction(node) && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ where: `${file}:${first + 1} ${nameOf(node)}`, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const files = sourceFiles(src).map((path) => ({ file: relative(src, path), text: readFileSync(path, "utf8") }));
const functions = files.flatMap(({ file, text }) => measure(text, file));

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

describe(`hand-written src/ keeps functions ≤ ${maxFunctionLines} lines and files small`, () => {
  it("finds the functions it measures, arrows and methods included", () => {
    expect(files.length).toBeGreaterThan(150);
    expect(files.some(({ file }) => file.startsWith("backend/generated"))).toBe(false);
    expect(functions.some((f) => / runScenario$/.test(f.where))).toBe(true);
    const planted = measure(
      `class A {\n  m() {\n${"    x();\n".repeat(3)}  }\n}\nconst f = () => {\n  y();\n};\n`,
      "planted.ts",
    );
    expect(planted).toEqual([
      { where: "planted.ts:2 m", lines: 5 },
      { where: "planted.ts:8 f", lines: 3 },
    ]);
  });

  it(`has no function over ${maxFunctionLines} lines`, () => {
    const long = functions.filter((f) => f.lines > maxFunctionLines);
    const named = (f: Measured) => f.where.replace(/:\d+ /, " ");
    expect(long.filter((f) => !notYetSplit.includes(named(f))).map((f) => `${f.where}: ${f.lines} lines`)).toEqual([]);
    expect(notYetSplit.filter((name) => !long.some((f) => named(f) === name))).toEqual([]);
  });

  it(`has a median file size of at most ${maxMedianFileLines} lines`, () => {
    // The `@module` header every file opens with (module-headers.test.ts) says its job; it is not size.
    const body = (text: string) => text.replace(/^\/\*\*\n \* @module\n(?: \*.*\n)+? \*\/\n\n/, "");
    const sizes = files.map(({ text }) => {
      const code = body(text);
      return code.split("\n").length - (code.endsWith("\n") ? 1 : 0);
    });
    const mid = median(sizes);
    console.info(`median file size of hand-written src/: ${mid} lines over ${files.length} files`);
    expect(mid).toBeLessThanOrEqual(maxMedianFileLines);
  });
});
