/**
 * @module
 * Scratch directories for package installs, clones and builds: in RAM where the machine has room.
 */
import { mkdtempSync, readFileSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Enough for the largest install a test makes (stockproof and its dependencies, twice) with room to spare. */
const neededBytes = 2 * 1024 ** 3;

/**
 * /dev/shm when it is a tmpfs mounted without noexec (the installs load native modules and run
 * package binaries from there; Docker mounts it noexec) with 2 GiB free; else null.
 */
function ramDisk(): string | null {
  try {
    const mount = readFileSync("/proc/self/mounts", "utf8")
      .split("\n")
      .map((line) => line.split(" "))
      .findLast(([, point]) => point === "/dev/shm");
    if (mount?.[2] !== "tmpfs" || (mount[3] ?? "").split(",").includes("noexec")) return null;
    const { bavail, bsize } = statfsSync("/dev/shm");
    return bavail * bsize >= neededBytes ? "/dev/shm" : null;
  } catch {
    return null;
  }
}

/**
 * A fresh directory for a test that writes tens of thousands of files (npm install, git clone, cp -al):
 * on the /dev/shm RAM disk when ramDisk() allows it (npm ci there spends less than half the system
 * time it spends on a disk), else in os.tmpdir(). The test removes it in its afterAll.
 */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(ramDisk() ?? tmpdir(), prefix));
}
