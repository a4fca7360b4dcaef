// README code blocks that stand for a file of the reader's project: the block's first line is a
// comment naming it ("// src/main.tsx — …"), and a later block "// src/x.test.ts, continued — …" adds
// to the same file. The tests write these files into real projects and build or run them, so what a
// reader copies is what CI ran.
import { readFileSync } from "node:fs";

export interface Snippet {
  /** The file the block names, e.g. "src/main.tsx". */
  readonly file: string;
  readonly code: string;
  /** 1-based line of the block's first code line in the markdown. */
  readonly line: number;
}

const fence = /^```[\w-]*\n([\s\S]*?)^```$/gm;
const naming = /^\/\/\s+((?:[\w.-]+\/)*[\w.-]+\.\w+)(?:,\s*continued)?(?:\s|$)/;

/** Every fenced block whose first line names a file, in order. */
export function namedSnippets(markdown: string): Snippet[] {
  const out: Snippet[] = [];
  for (const match of markdown.matchAll(fence)) {
    const code = match[1] ?? "";
    const file = naming.exec(code)?.[1];
    if (file === undefined) continue;
    const line = markdown.slice(0, match.index).split("\n").length + 1;
    out.push({ file, code, line });
  }
  return out;
}

/** The named file as the README builds it: its blocks joined in order (ES modules allow imports anywhere at top level). */
export function snippetFile(markdownPath: string, file: string, options: { firstOnly?: boolean } = {}): string {
  const blocks = namedSnippets(readFileSync(markdownPath, "utf8")).filter((snippet) => snippet.file === file);
  if (blocks.length === 0) throw new Error(`${markdownPath} has no code block starting with a comment naming ${file}`);
  return (options.firstOnly === true ? blocks.slice(0, 1) : blocks).map((block) => block.code).join("\n");
}
