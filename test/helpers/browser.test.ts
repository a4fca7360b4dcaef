import { describe, expect, test } from "vitest";
import { bundledChromium, chooseChromium, launchChromium, type Machine } from "./browser.js";

const bareLinux: Machine = { env: {}, platform: "linux", arch: "x64", isExecutable: () => false };
const having =
  (...paths: string[]) =>
  (path: string) =>
    paths.includes(path);

describe("which Chromium the browser tests use", () => {
  test("a bare Linux x64 machine uses the one inside @sparticuz/chromium", () => {
    expect(chooseChromium(bareLinux)).toEqual({ kind: "bundled" });
  });

  test("a system Chromium or Chrome is used when present", () => {
    expect(chooseChromium({ ...bareLinux, isExecutable: having("/usr/bin/chromium") })).toMatchObject({
      executablePath: "/usr/bin/chromium",
      source: "system",
    });
    expect(chooseChromium({ ...bareLinux, isExecutable: having("/usr/bin/google-chrome") })).toMatchObject({
      executablePath: "/usr/bin/google-chrome",
    });
    const mac = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
    expect(
      chooseChromium({ ...bareLinux, platform: "darwin", arch: "arm64", isExecutable: having(mac) }),
    ).toMatchObject({ executablePath: mac });
  });

  test("STOCKPROOF_CHROMIUM wins over a system browser, and a wrong value is refused by name, not passed over", () => {
    const machine = {
      ...bareLinux,
      env: { STOCKPROOF_CHROMIUM: "/opt/chrome/chrome" },
      isExecutable: having("/opt/chrome/chrome", "/usr/bin/chromium"),
    };
    expect(chooseChromium(machine)).toMatchObject({
      executablePath: "/opt/chrome/chrome",
      source: "STOCKPROOF_CHROMIUM",
    });
    const wrong = chooseChromium({ ...machine, env: { STOCKPROOF_CHROMIUM: "/opt/nothing" } });
    expect(wrong.kind).toBe("none");
    expect(wrong.kind === "none" && wrong.message).toContain(
      "STOCKPROOF_CHROMIUM=/opt/nothing is not an executable file",
    );
  });

  test("without a browser where the package's binary does not run, the message says what to install or set", () => {
    for (const machine of [
      { ...bareLinux, arch: "arm64" },
      { ...bareLinux, platform: "darwin" as const },
    ]) {
      const choice = chooseChromium(machine);
      expect(choice.kind).toBe("none");
      expect(choice.kind === "none" && choice.message).toMatch(/install Chrome, or set STOCKPROOF_CHROMIUM/);
    }
  });

  // Whatever browser this machine picks, the packaged one must keep working for the machines that have none.
  test("the Chromium inside @sparticuz/chromium unpacks and renders a page here (Linux x64), or says it cannot", async () => {
    if (process.platform !== "linux" || process.arch !== "x64") {
      await expect(bundledChromium()).rejects.toThrow(/Linux x64 only/);
      return;
    }
    const browser = await launchChromium(await bundledChromium());
    try {
      const page = await browser.newPage();
      await page.setContent("<p id=p>rendered</p><script>document.getElementById('p').dataset.ran = 'yes'</script>");
      expect(await page.locator("#p").getAttribute("data-ran")).toBe("yes");
      expect(browser.version()).toMatch(/^\d+\./);
    } finally {
      await browser.close();
    }
  });
});
