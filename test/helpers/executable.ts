/**
 * @module
 * Whether a file is an executable, and whether a command is on the PATH, without spawning anything.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `name` is an executable in a directory of this process's PATH. */
export const onPath = (name: string): boolean =>
  (process.env.PATH ?? "").split(delimiter).some((dir) => dir !== "" && isExecutable(join(dir, name)));
