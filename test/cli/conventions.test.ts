import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { wantsColor } from "../../src/cli/io.js";
import { cli } from "../helpers/cli.js";

const version = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character is what is looked for
const escapeCode = /\u001b\[/;

/*
 * The conventions people expect of a command line. Before: `run races --jsno out.json` passed with
 * exit 0 and wrote nothing, `--tagret` exited 1, `--version` printed "No version specified" (exit
 * 1), an unknown command printed the main help and exited 0, help was padded to 251 columns with
 * colour codes when piped.
 */
describe("command-line conventions", () => {
  it("--version and -v print the package version, exit 0", async () => {
    for (const flag of ["--version", "-v"]) {
      const run = await cli([flag]);
      expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
    }
  });

  it("an unknown command exits 2 naming it and the commands; a near miss gets a suggestion", async () => {
    const unknown = await cli(["frobnicate", "--help"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe("");
    expect(unknown.stderr).toMatch(/^unknown command "frobnicate"\. The commands are serve, run, compare, conform/);
    const chek = await cli(["chek", "--help"]);
    expect(chek.code).toBe(2);
    expect(chek.stderr).toContain('unknown command "chek"; did you mean "check"?');
    const near = await cli(["comform", "--target", "http://127.0.0.1:1"]);
    expect(near.code).toBe(2);
    expect(near.stderr).toContain('unknown command "comform"; did you mean "conform"?');
  });

  it("a mistyped flag exits 2 with 'did you mean', before anything runs or is written", async () => {
    const json = await cli(["run", "races", "--target", "http://127.0.0.1:1", "--jsno", "out.json"]);
    expect(json.code).toBe(2);
    expect(json.stderr.trim()).toBe(
      "unknown option --jsno for stockproof run; did you mean --json? (stockproof run --help lists the options)",
    );
    const target = await cli(["run", "races", "--tagret", "http://127.0.0.1:1"]);
    expect(target.code).toBe(2);
    expect(target.stderr).toContain("unknown option --tagret for stockproof run; did you mean --target?");
    const junit = await cli(["audit", "--target", "http://127.0.0.1:1", "--junti=a.xml"]);
    expect(junit.stderr).toContain("unknown option --junti for stockproof audit; did you mean --junit?");
    expect(junit.code).toBe(2);
  });

  it("a mistyped built-in scenario name gets 'did you mean', exit 2", async () => {
    // Before: `run contentoin` listed the built-ins with no suggestion.
    const typo = await cli(["run", "contentoin", "--target", "http://127.0.0.1:1"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('is neither a scenario file nor a built-in scenario; did you mean "contention"?');
    const far = await cli(["run", "nothing-like-it", "--target", "http://127.0.0.1:1"]);
    expect(far.stderr).not.toContain("did you mean");
  });

  it("a flag without its value, a missing --target and an extra argument exit 2, one line each", async () => {
    const bare = await cli(["run", "races", "--target"]);
    expect(bare).toMatchObject({ code: 2, stderr: "--target needs a value, e.g. --target URL\n" });
    const missing = await cli(["run", "races"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      "--target is required: base URL of the server under test, e.g. http://127.0.0.1:8080 (or set STOCKPROOF_TARGET)\n",
    );
    const extra = await cli(["run", "races", "seed-3-1", "--target", "http://127.0.0.1:1"]);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('"seed-3-1" is one too many');
    const url = await cli(["run", "races", "--target", "127.0.0.1:8080"]);
    expect(url).toMatchObject({ code: 2 });
    expect(url.stderr).toContain("--target must be");
  });

  it("serve --port 99999 and --hold-ttl soon: one line naming the value and the range, exit 2, no stack", async () => {
    const port = await cli(["serve", "--port", "99999"]);
    expect(port).toEqual({ code: 2, stdout: "", stderr: "--port must be an integer from 0 to 65535 (got 99999)\n" });
    const ttl = await cli(["serve", "--hold-ttl", "soon"]);
    expect(ttl.code).toBe(2);
    expect(ttl.stderr).toBe('--hold-ttl must be a duration from 100ms to 30d, e.g. 500ms, 30s, 15m, 2h (got "soon")\n');
    const fromEnv = await cli(["serve"], { STOCKPROOF_PORT: "http" });
    expect(fromEnv.stderr).toBe("STOCKPROOF_PORT must be an integer from 0 to 65535 (got http)\n");
  });

  it("serve on a busy port: one line naming the port and the fix, exit 1, no stack", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as { port: number };
    try {
      const run = await cli(["serve", "--port", String(port), "--db", ":memory:"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `Port ${port} on 127.0.0.1 is already in use (another server?): stop that process or choose another --port. Nothing was started and :memory: was not touched.\n`,
      );
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });

  it("every option reads its STOCKPROOF_* variable; a flag wins over it", async () => {
    const fromEnv = await cli(["run", "races"], { STOCKPROOF_TARGET: "not a url" });
    expect(fromEnv.stderr).toBe(
      'STOCKPROOF_TARGET must be a base URL such as http://127.0.0.1:8080 (got "not a url")\n',
    );
    const flagWins = await cli(["run", "races", "--target", "nope"], { STOCKPROOF_TARGET: "http://127.0.0.1:1" });
    expect(flagWins.stderr).toContain('--target must be a base URL such as http://127.0.0.1:8080 (got "nope")');
    const bool = await cli(["run", "races", "--target", "http://127.0.0.1:1"], { STOCKPROOF_PROGRESS: "maybe" });
    expect(bool).toMatchObject({ code: 2, stderr: 'STOCKPROOF_PROGRESS must be 1 or 0 (got "maybe")\n' });
  });

  it("help: usage, every option with its default and variable written one way, examples, exit codes; plain when piped", async () => {
    for (const command of ["serve", "run", "compare", "conform", "verify", "audit", "mock", "shrink"]) {
      const help = await cli([command, "--help"]);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toMatch(new RegExp(`^stockproof ${command} — `));
      expect(help.stdout, command).toContain("\nExamples:\n  stockproof ");
      expect(help.stdout, command).toContain("\nExit codes:\n");
      expect(help.stdout, command).not.toMatch(escapeCode);
      expect(help.stdout, command).not.toMatch(/\(Default: /);
      // Example command lines are kept whole, to be copied.
      for (const line of help.stdout.split("\n").filter((l) => !l.startsWith("  stockproof "))) {
        expect(line.length, `${command}: ${line}`).toBeLessThanOrEqual(100);
        expect(line, command).toBe(line.trimEnd());
      }
    }
    const run = (await cli(["run", "--help"])).stdout;
    expect(run).toMatch(
      /--admin-key KEY\s+X-Admin-Key of the target's test-control API \[default:\s+stockproof-admin; env\s+STOCKPROOF_ADMIN_KEY\]/,
    );
    expect(run).toMatch(
      /--\[no-\]progress\s+Show progress on stderr \(--no-progress: quiet\) \[default: on; env\s+STOCKPROOF_PROGRESS\]/,
    );
    const verify = (await cli(["verify", "--help"])).stdout;
    expect(verify).toContain("also --provider-base-url");
    // Before: run --help named only seed-3-1, seed-3-2 and races; export --help gave check's and judge's exit codes.
    expect(run.replace(/\s+/g, " ")).toContain(
      "A built-in scenario (contention, crossed-carts, expiry, races, seed-3-1, seed-3-2) or a scenario YAML file",
    );
    const exported = (await cli(["export", "--help"])).stdout;
    const exportCodes = exported.slice(exported.indexOf("\nExit codes:\n")).replace(/\s+/g, " ");
    expect(exportCodes).toContain("0 the script or plan was written · 2 bad usage");
    expect(exportCodes).not.toMatch(/judge|could not/);
    const main = await cli(["--help"]);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain("3  could not judge");
  });

  it("colour only on a terminal, never with NO_COLOR or TERM=dumb; FORCE_COLOR forces it", () => {
    expect(wantsColor({}, true)).toBe(true);
    expect(wantsColor({}, false)).toBe(false);
    expect(wantsColor({ NO_COLOR: "1" }, true)).toBe(false);
    expect(wantsColor({ NO_COLOR: "" }, true)).toBe(true);
    expect(wantsColor({ TERM: "dumb" }, true)).toBe(false);
    expect(wantsColor({ FORCE_COLOR: "1" }, false)).toBe(true);
  });
});
