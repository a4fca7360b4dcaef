import { defineCommand, runMain } from "citty";

/** The stockproof command; subcommands load lazily so `serve` starts fast. */
export const main = defineCommand({
  meta: {
    name: "stockproof",
    description:
      "Stateful reference server, contract checks and load scenarios for an order-payment flow with stock reservation.",
  },
  subCommands: {
    serve: () => import("./serve.js").then((m) => m.serveCommand),
    run: () => import("./run.js").then((m) => m.runCommand),
    compare: () => import("./compare.js").then((m) => m.compareCommand),
    mock: () => import("./mock.js").then((m) => m.mockCommand),
    conform: () => import("./conform.js").then((m) => m.conformCommand),
    verify: () => import("./verify.js").then((m) => m.verifyCommand),
    audit: () => import("./audit.js").then((m) => m.auditCommand),
    check: () => import("./check.js").then((m) => m.checkCommand),
    export: () => import("./export.js").then((m) => m.exportCommand),
  },
});

export function run(rawArgs: string[] = process.argv.slice(2)): Promise<void> {
  return runMain(main, { rawArgs });
}
