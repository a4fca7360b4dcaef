import { readFileSync } from "node:fs";

/** A markdown file of the repository that holds blocks the tests run: README.md or a guide under docs/. */
export type DocPath = "README.md" | `docs/${string}.md`;

const read = (doc: DocPath) => readFileSync(new URL(`../../${doc}`, import.meta.url), "utf8");

/** The first ```ts block of `doc` after the paragraph that contains `after`; throws when there is none. */
export function docBlockAfter(doc: DocPath, after: string): string {
  const text = read(doc);
  const at = text.indexOf(after);
  if (at < 0) throw new Error(`${doc} has no text "${after}"`);
  const match = /```ts\n([\s\S]*?)```/.exec(text.slice(at));
  if (match === null) throw new Error(`${doc} has no ts block after "${after}"`);
  return match[1] as string;
}
