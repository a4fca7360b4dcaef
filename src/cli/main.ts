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
    mock: () => import("./mock.js").then((m) => m.mockCommand),
    conform: () => import("./conform.js").then((m) => m.conformCommand),
    audit: () => import("./audit.js").then((m) => m.auditCommand),
  },
});

export function run(rawArgs: string[] = process.argv.slice(2)): Promise<void> {
  return runMain(main, { rawArgs });
}
