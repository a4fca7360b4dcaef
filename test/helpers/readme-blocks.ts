import { readFileSync } from "node:fs";

const readme = () => readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** The first ```ts block of README.md after the paragraph that contains `after`; throws when there is none. */
export function readmeBlockAfter(after: string): string {
  const text = readme();
  const at = text.indexOf(after);
  if (at < 0) throw new Error(`README.md has no text "${after}"`);
  const match = /```ts\n([\s\S]*?)```/.exec(text.slice(at));
  if (match === null) throw new Error(`README.md has no ts block after "${after}"`);
  return match[1] as string;
}
