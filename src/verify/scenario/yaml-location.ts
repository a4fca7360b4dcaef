/**
 * @module
 * Locates a path of a scenario document in its YAML text, so problems carry a line and column.
 */

import { type Document, isMap, isPair, isScalar, type LineCounter, type Node } from "yaml";

/** A step of a path into the document: a key or an index. */
export type Segment = string | number;

/** given.skus[0].stock */
export const dotted = (segments: readonly Segment[]) =>
  segments.reduce<string>(
    (path, s) => (typeof s === "number" ? `${path}[${s}]` : path === "" ? s : `${path}.${s}`),
    "",
  );

/** A JSON pointer (as schema errors give it) as path steps. */
export function pointerSegments(pointer: string): Segment[] {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Locates a path in the YAML document: the key when `key` is given (an unknown field), else the value. */
export function locate(doc: Document, counter: LineCounter, segments: readonly Segment[], key?: string) {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const segment of [...segments, ...(key === undefined ? [] : [key])]) {
    if (!isMap(node) && !(node !== null && typeof node === "object" && "items" in node)) break;
    const items = (node as { items: unknown[] }).items;
    let next: unknown;
    if (isMap(node)) {
      const pair = items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!isPair(pair)) break;
      if (segment === key) {
        offset = (pair.key as Node).range?.[0] ?? offset;
        break;
      }
      next = pair.value;
    } else {
      next = typeof segment === "number" ? items[segment] : undefined;
    }
    if (next === null || next === undefined || typeof next !== "object") break;
    node = next;
    offset = (next as Node).range?.[0] ?? offset;
  }
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}
