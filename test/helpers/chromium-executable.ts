import { existsSync } from "node:fs";

/**
 * The Chromium that browser tests drive with playwright-core: STOCKPROOF_CHROMIUM when set (e.g. the
 * binary @sparticuz/chromium unpacks), else Debian's /usr/bin/chromium, which .ci/run installs.
 */
export function chromiumExecutable(): string {
  const path = process.env.STOCKPROOF_CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(
      `Chromium is missing at ${path}: install Debian's package (\`apt-get install -y chromium\`, as .ci/run does) or set STOCKPROOF_CHROMIUM to a Chromium executable.`,
    );
  }
  return path;
}

/** Flags for headless Chromium on a CI machine without a display or a sandbox. */
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
