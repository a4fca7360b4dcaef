/**
 * @module
 * Scratch directories for package installs, clones and builds: in RAM where the machine has room.
 */
import { mkdtempSync, statfsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Enough for the largest install a test makes (stockproof and its dependencies, twice) with room to spare. */
const neededBytes = 2 * 1024 ** 3;

function ramDisk(): string | null {
  try {
    const { bavail, bsize } = statfsSync("/dev/shm");
    return bavail * bsize >= neededBytes ? "/dev/shm" : null;
  } catch {
    return null;
  }
}

/**
 * A fresh directory for a test that writes tens of thousands of files (npm install, git clone, cp -al):
 * on /dev/shm when it is a RAM disk with 2 GiB free (npm ci there spends less than half the system
 * time it spends on a disk), else in os.tmpdir(). A container's default 64 MB /dev/shm is not used.
 */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(ramDisk() ?? tmpdir(), prefix));
}
