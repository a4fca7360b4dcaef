import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { devReset } from "../audit/support.js";
import { memoryLedger } from "../helpers/broken-shop/memory-ledger.js";
import { vanishingFault } from "../helpers/broken-shop/vanishing.js";
import { type BrokenShop, startBrokenShop } from "../helpers/broken-shop.js";
import { cli } from "../helpers/cli.js";
import { scratch } from "./support.js";

/** What shrink says and does when there is nothing it may shrink. */
describe("stockproof shrink: failures that cannot be shrunk", () => {
  let shop: BrokenShop | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await shop?.close();
    shop = undefined;
    cleanup?.();
  });
  const outFile = () => {
    const { dir, remove } = scratch();
    cleanup = remove;
    return join(dir, "repro.yaml");
  };

  it("a failure that vanished on rerun is reported as not reproduced: exit 1, nothing shrunk, no file", async () => {
    // Double restore in the first run only: every later stock set-up goes to a correct ledger.
    const broken = memoryLedger({ doubleRestore: true, cancelGapMs: 2 });
    shop = await startBrokenShop({ ledger: vanishingFault(broken, memoryLedger()), stockApi: "test-control" });
    const out = outFile();
    const result = await cli(["shrink", "races", "--target", shop.url, "--out", out, "--no-progress"]);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      /^NOT REPRODUCED: "Double restore" failed once in 400 requests \(one run of races\); 0 of 20 reruns failed\. Nothing was shrunk and no file written\./,
    );
    // What the one failing run saw is still shown: its evidence and its requests.
    expect(result.stdout).toMatch(/units more than conservation allows/);
    expect(result.stdout).toMatch(/cancel-twice-2 +cancel sp-/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it("runs whose class could not be judged are not a pass: every run unjudged is exit 3, no file", async () => {
    // No test-control API, no snapshot and no probe: final stock is never observed, so double
    // restore (judged by stock) cannot be judged by any run of a correct shop.
    shop = await startBrokenShop({ stockApi: "own" });
    const out = outFile();
    const result = await cli([
      "shrink",
      "races",
      "--class",
      "double-restore",
      "--target",
      shop.url,
      "--no-admin",
      "--setup",
      devReset(shop.url),
      "--no-probe",
      "--out",
      out,
      "--no-progress",
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(result.stdout).toMatch(
      /^NOT JUDGED: "Double restore" could not be judged in 5 runs of races: final stock was not observed/,
    );
    expect(result.stdout).toMatch(/none of which could have shown it: nothing shrunk, no file written/);
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it("without --class, a class no run could judge keeps a clean run from passing: exit 3, the classes named", async () => {
    shop = await startBrokenShop({ stockApi: "own" });
    const out = outFile();
    const args = ["--no-admin", "--setup", devReset(shop.url), "--no-probe", "--no-progress"];
    const result = await cli(["shrink", "races", "--target", shop.url, ...args, "--out", out]);
    expect(result.code, result.stdout + result.stderr).toBe(3);
    expect(result.stdout).toMatch(/^Nothing to shrink: no failure class failed in 5 runs of races\./);
    expect(result.stdout).toMatch(
      /NOT JUDGED in any run, so not known to pass: Lost update \/ conservation, Double restore — .*final stock was not observed/,
    );
    expect(existsSync(out)).toBe(false);
  }, 60_000);

  it("declared stock cannot be shrunk (each candidate needs its own stock): exit 3 with the fix", async () => {
    shop = await startBrokenShop({ stockApi: "own" });
    const result = await cli(["shrink", "races", "--target", shop.url, "--no-admin", "--out", outFile()]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^NOT JUDGED: shrink sets the stock before every run/);
    expect(result.stderr).toMatch(/fix: give --setup COMMAND/);
  });

  it("a bad --class or --keep is a usage error before the target is asked anything (exit 2)", async () => {
    const wrongClass = await cli(["shrink", "races", "--target", "http://127.0.0.1:1", "--class", "oversold"]);
    expect(wrongClass.code).toBe(2);
    expect(wrongClass.stderr).toMatch(/--class must be one of oversell, lost-update/);
    const keep = await cli(["shrink", "races", "--target", "http://127.0.0.1:1", "--runs", "3", "--keep", "4"]);
    expect(keep.code).toBe(2);
    expect(keep.stderr).toMatch(/--keep \(4\) must be at most --runs \(3\)/);
    const none = await cli(["shrink", "--target", "http://127.0.0.1:1"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/give the failing scenario/);
  });
});
