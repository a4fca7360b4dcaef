import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** A report as JSON text: two-space indent, a final newline. */
export const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Writes a report file, creating its folder. */
export function writeReportFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
