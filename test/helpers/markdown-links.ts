// The relative links of markdown files and whether each resolves: the file exists and, for a link into
// a markdown file, the #anchor is one of its headings as GitHub renders them (github-slugger, the
// slugger GitHub's own renderer follows: lower case, punctuation dropped, "-1" for a repeated heading).
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import GithubSlugger from "github-slugger";

export interface Link {
  /** The markdown file the link is in. */
  readonly file: string;
  /** 1-based line of the link. */
  readonly line: number;
  /** As written: a path, a path#anchor or #anchor. */
  readonly target: string;
}

const fenceLine = /^\s{0,3}(```|~~~)/;
const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
/** Inline links and images, [text](target "title"), and reference definitions, [label]: target. */
const inlineLink = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/;
const explicitAnchor = /<a\s+(?:name|id)="([^"]+)"/g;

/** The lines of a markdown file outside fenced code blocks, with inline code spans blanked out. */
function proseLines(markdown: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let fence: string | undefined;
  markdown.split("\n").forEach((text, index) => {
    const opening = fenceLine.exec(text)?.[1];
    if (opening !== undefined && (fence === undefined || opening === fence)) {
      fence = fence === undefined ? opening : undefined;
      return;
    }
    if (fence !== undefined) return;
    out.push({ text: text.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, (span) => " ".repeat(span.length)), line: index + 1 });
  });
  return out;
}

/** The text GitHub slugs for a heading: inline code, emphasis and link syntax stripped to their text. */
function headingText(raw: string): string {
  return raw
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/(\*\*?)(?=\S)([\s\S]*?\S)\1/g, "$2")
    .replace(/(?<!\w)(__?)(?=\S)([\s\S]*?\S)\1(?!\w)/g, "$2")
    .replace(/<[^>]+>/g, "");
}

/** Every anchor a file offers: its headings' slugs, in order (repeats numbered), and explicit <a id>s. */
export function anchorsOf(markdown: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  let fence: string | undefined;
  for (const text of markdown.split("\n")) {
    const opening = fenceLine.exec(text)?.[1];
    if (opening !== undefined && (fence === undefined || opening === fence)) {
      fence = fence === undefined ? opening : undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const title = heading.exec(text)?.[1];
    if (title !== undefined) anchors.add(slugger.slug(headingText(title)));
    for (const match of text.matchAll(explicitAnchor)) anchors.add(match[1] as string);
  }
  return anchors;
}

/** The relative links of one markdown file (web addresses, mailto: and the like are not judged here). */
export function linksOf(file: string): Link[] {
  const links: Link[] = [];
  for (const { text, line } of proseLines(readFileSync(file, "utf8"))) {
    const targets = [...text.matchAll(inlineLink)].map((match) => match[1] as string);
    const defined = definition.exec(text)?.[1];
    if (defined !== undefined) targets.push(defined);
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      links.push({ file, line, target });
    }
  }
  return links;
}

/** Why a link does not resolve, or undefined when it does. */
export function brokenReason(link: Link): string | undefined {
  const hash = link.target.indexOf("#");
  const path = decodeURIComponent(hash < 0 ? link.target : link.target.slice(0, hash));
  const anchor = hash < 0 ? undefined : decodeURIComponent(link.target.slice(hash + 1));
  const resolved = path === "" ? link.file : join(dirname(link.file), path);
  if (!existsSync(resolved)) return `no file ${path}`;
  if (anchor === undefined) return undefined;
  if (statSync(resolved).isDirectory() || !resolved.endsWith(".md")) return `#${anchor} on a file that is not markdown`;
  if (!anchorsOf(readFileSync(resolved, "utf8")).has(anchor)) return `no heading #${anchor} in ${path || "this file"}`;
  return undefined;
}

/** "file:line: target — reason" for every link of `files` that does not resolve; paths relative to `root`. */
export function brokenLinks(files: readonly string[], root: string): string[] {
  return files.flatMap((file) =>
    linksOf(file).flatMap((link) => {
      const reason = brokenReason(link);
      return reason === undefined ? [] : [`${relative(root, file)}:${link.line}: ${link.target} — ${reason}`];
    }),
  );
}
