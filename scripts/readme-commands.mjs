// The commands of README's "Two commands" block, read from README itself so CI runs what it prints.
// `node scripts/readme-commands.mjs test` prints the test command (what .ci/run runs);
// `node scripts/readme-commands.mjs serve` prints the serve command.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const readmePath = fileURLToPath(new URL("../README.md", import.meta.url));

/**
 * Each line of the first ```sh block under "## Two commands", split into the command and its comment.
 * @param {string} readme the text of README.md
 * @returns {{ command: string, comment: string }[]}
 */
export function twoCommands(readme) {
  const section = readme.split(/^## Two commands$/m)[1]?.split(/^## /m)[0];
  if (section === undefined) throw new Error('README.md has no "## Two commands" section.');
  const block = section.match(/^```sh\n([\s\S]*?)^```$/m)?.[1];
  if (block === undefined) throw new Error('README.md\'s "## Two commands" section has no ```sh block.');
  return block
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const at = line.search(/\s#\s/);
      return at < 0
        ? { command: line.trim(), comment: "" }
        : { command: line.slice(0, at).trim(), comment: line.slice(at).replace(/^\s*#\s*/, "") };
    });
}

/**
 * The line whose command runs the server (`serve`) or the test suite (`test`).
 * @param {"serve" | "test"} which
 * @param {string} [readme]
 */
export function readmeCommand(which, readme = readFileSync(readmePath, "utf8")) {
  const pattern = which === "serve" ? /\bstockproof serve\b/ : /\bnpm test\b/;
  const lines = twoCommands(readme).filter((line) => pattern.test(line.command));
  if (lines.length !== 1) {
    throw new Error(`README.md's "Two commands" block should have one ${which} command, found ${lines.length}.`);
  }
  return /** @type {{ command: string, comment: string }} */ (lines[0]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const which = process.argv[2];
  if (which !== "serve" && which !== "test") {
    console.error("usage: node scripts/readme-commands.mjs serve|test");
    process.exit(2);
  }
  console.log(readmeCommand(which).command);
}
