/**
 * @module
 * Writes report files: JSON text, and JSON whose long last list is written an entry at a time.
 */

import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** A report as JSON text: two-space indent, a final newline. */
export const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Writes a report file, creating its folder. */
export function writeReportFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/**
 * Writes a JSON report whose last member is a long list, one entry a line, without making the
 * whole text at once (a million-request timeline is hundreds of MB as one string). The text is
 * the JSON of `{ ...head, [key]: items }`.
 */
export function writeJsonWithList(
  path: string,
  head: Readonly<Record<string, unknown>>,
  key: string,
  items: Iterable<unknown>,
): void {
  mkdirSync(dirname(path), { recursive: true });
  // `…"key": []\n}`: the list is the last member, so its `[]` is the last in the text.
  const shell = JSON.stringify({ ...head, [key]: [] }, null, 2);
  const at = shell.lastIndexOf("[]");
  const fd = openSync(path, "w");
  try {
    writeSync(fd, `${shell.slice(0, at)}[`);
    let chunk = "";
    let count = 0;
    for (const item of items) {
      chunk += `${count++ === 0 ? "" : ","}\n    ${JSON.stringify(item)}`;
      if (chunk.length >= 1 << 20) {
        writeSync(fd, chunk);
        chunk = "";
      }
    }
    writeSync(fd, `${chunk}${count === 0 ? "" : "\n  "}]${shell.slice(at + 2)}\n`);
  } finally {
    closeSync(fd);
  }
}
