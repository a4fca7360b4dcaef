import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { createBrotliDecompress } from "node:zlib";
import { type Browser, type BrowserContext, chromium } from "playwright-core";
import { isExecutable } from "./executable.js";

/**
 * The one place the browser tests get their Chromium from, so `npm ci && npm test` needs no browser
 * installed by hand:
 * 1. STOCKPROOF_CHROMIUM, when set, names the executable (and must be one);
 * 2. else a system Chrome/Chromium at a usual path;
 * 3. else, on Linux x64, the headless Chromium shipped inside the @sparticuz/chromium package
 *    (brotli-compressed in its tarball, with the NSS libraries, software GL and a font), unpacked once
 *    under node_modules/.cache. Nothing is downloaded, at install time or later.
 */

export const chromiumVariable = "STOCKPROOF_CHROMIUM";

/** Where a system browser usually is, in the order tried. */
export function systemChromiumPaths(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string[] {
  if (platform === "linux") {
    return [
      "/usr/bin/chromium",
      "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome",
      "/usr/bin/google-chrome-stable",
    ];
  }
  if (platform === "darwin") {
    return [
      "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
      "/Applications/Chromium.app/Contents/MacOS/Chromium",
    ];
  }
  if (platform === "win32") {
    const roots = [env.PROGRAMFILES, env["PROGRAMFILES(X86)"], env.LOCALAPPDATA].filter((r): r is string => !!r);
    return roots.map((root) => join(root, "Google", "Chrome", "Application", "chrome.exe"));
  }
  return [];
}

export type ChromiumChoice =
  | { readonly kind: "path"; readonly executablePath: string; readonly source: string }
  | { readonly kind: "bundled" }
  | { readonly kind: "none"; readonly message: string };

export interface Machine {
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  readonly isExecutable: (path: string) => boolean;
}

/** Which browser to use on a machine; pure, so the order is testable without changing the machine. */
export function chooseChromium(machine: Machine): ChromiumChoice {
  const named = machine.env[chromiumVariable];
  if (named) {
    return machine.isExecutable(named)
      ? { kind: "path", executablePath: named, source: chromiumVariable }
      : {
          kind: "none",
          message: `${chromiumVariable}=${named} is not an executable file: point it at a Chrome or Chromium binary, or unset it to use the one found on this machine.`,
        };
  }
  const system = systemChromiumPaths(machine.platform, machine.env).find(machine.isExecutable);
  if (system) return { kind: "path", executablePath: system, source: "system" };
  if (machine.platform === "linux" && machine.arch === "x64") return { kind: "bundled" };
  return {
    kind: "none",
    message: `No Chrome or Chromium found on ${machine.platform}-${machine.arch} (looked at ${systemChromiumPaths(machine.platform, machine.env).join(", ") || "no usual path"}), and the one inside @sparticuz/chromium runs on Linux x64 only: install Chrome, or set ${chromiumVariable} to a Chrome or Chromium executable.`,
  };
}

const packageRoot = join(dirname(fileURLToPath(import.meta.resolve("@sparticuz/chromium"))), "..", "..");
const cacheRoot = fileURLToPath(new URL("../../node_modules/.cache/", import.meta.url));

export interface FoundChromium {
  readonly executablePath: string;
  /** STOCKPROOF_CHROMIUM, system, or @sparticuz/chromium. */
  readonly source: string;
  /** Extra environment for the browser process. */
  readonly env: Record<string, string>;
}

/** Unpacks a .tar.br: brotli in Node, then tar (on every Linux) from a file, not a pipe it may close early. */
async function untar(archive: string, into: string): Promise<void> {
  const tar = join(into, `${basename(archive, ".br")}`);
  await pipeline(createReadStream(archive), createBrotliDecompress(), createWriteStream(tar));
  execFileSync("tar", ["-x", "--no-same-owner", "-f", tar, "-C", into], { stdio: ["ignore", "ignore", "pipe"] });
  rmSync(tar);
}

/**
 * The browser inside @sparticuz/chromium, unpacked on first use (Linux x64 only). It is unpacked into a
 * fresh folder that is then renamed into place, so a test file running beside this one never sees half of it.
 */
export async function bundledChromium(): Promise<FoundChromium> {
  if (process.platform !== "linux" || process.arch !== "x64") {
    throw new Error(
      `The Chromium inside @sparticuz/chromium runs on Linux x64 only, not ${process.platform}-${process.arch}.`,
    );
  }
  const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as { version: string };
  const dir = join(cacheRoot, `stockproof-chromium-${version}`);
  const result = {
    executablePath: join(dir, "chromium"),
    source: "@sparticuz/chromium",
    // The package's own NSS/NSPR build (made for Amazon Linux, which lacks them) first, so a machine
    // without libnss3 runs it too; and its Open Sans, so pages show text where no system font is installed.
    env: {
      LD_LIBRARY_PATH: [join(dir, "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
      FONTCONFIG_FILE: join(dir, "fonts.conf"),
    },
  };
  if (isExecutable(result.executablePath)) return result;
  const bin = join(packageRoot, "bin");
  const staging = `${dir}.${process.pid}-${randomUUID()}`;
  try {
    mkdirSync(staging, { recursive: true });
    await pipeline(
      createReadStream(join(bin, "chromium.br")),
      createBrotliDecompress(),
      createWriteStream(join(staging, "chromium"), { mode: 0o755 }),
    );
    // al2023.tar.br holds lib/ (NSS, NSPR, expat); fonts.tar.br holds fonts/ (and a fonts.conf for /tmp we replace).
    await untar(join(bin, "al2023.tar.br"), staging);
    await untar(join(bin, "fonts.tar.br"), staging);
    // swiftshader.tar.br holds the software GL libraries Chromium looks for beside itself.
    await untar(join(bin, "swiftshader.tar.br"), staging);
    writeFileSync(
      join(staging, "fonts.conf"),
      `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, "fonts")}</dir>\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${join(dir, "fonts-cache")}</cachedir>\n</fontconfig>\n`,
    );
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another test file unpacked the same version first; its copy is complete (rename is atomic).
      if (!isExecutable(result.executablePath)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return result;
}

let found: Promise<FoundChromium> | undefined;

/** The Chromium to use on this machine (see the top of this file); throws a message naming the fix. */
export function findChromium(): Promise<FoundChromium> {
  found ??= (async () => {
    const choice = chooseChromium({ env: process.env, platform: process.platform, arch: process.arch, isExecutable });
    if (choice.kind === "none") throw new Error(choice.message);
    const browser =
      choice.kind === "path"
        ? { executablePath: choice.executablePath, source: choice.source, env: {} }
        : await bundledChromium();
    // Said once per test process, so a CI log shows which browser the checks ran in.
    console.log(`Chromium for the browser tests: ${browser.executablePath} (${browser.source})`);
    return browser;
  })();
  return found;
}

/**
 * Flags for a sealed machine: no GPU, no sandbox (tests run as root in CI), and none of Chromium's own
 * calls home, which a closed network refuses (and which would make a test depend on the outside).
 */
export const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function launchOptions(browser: FoundChromium) {
  return {
    executablePath: browser.executablePath,
    headless: true,
    args: chromiumArgs,
    env: { ...process.env, ...browser.env } as Record<string, string>,
  };
}

/** A headless Chromium with a fresh temporary profile: the one findChromium picks, unless one is given. */
export async function launchChromium(browser?: FoundChromium): Promise<Browser> {
  return chromium.launch(launchOptions(browser ?? (await findChromium())));
}

/** A headless Chromium keeping its profile in `userDataDir` (service workers register per profile). */
export async function launchChromiumContext(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, launchOptions(await findChromium()));
}
