import { defineCommand } from "citty";
import { startPrism } from "../contract/prism.js";

export const mockCommand = defineCommand({
  meta: {
    name: "mock",
    description:
      "Run Prism's stateless mock of the spec (answers from the spec's examples). For real stock semantics use `stockproof serve` or the MSW handlers.",
  },
  args: {
    static: { type: "boolean", description: "Answer with the spec's examples (the same answer every time)" },
    dynamic: { type: "boolean", description: "Answer with data generated from the schemas instead" },
    port: { type: "string", default: "4010", description: "Port to listen on (0: any free port)" },
    host: { type: "string", default: "127.0.0.1", description: "Host to bind" },
  },
  async run({ args }) {
    if (!args.static && !args.dynamic) {
      throw new Error(
        "Say which mock: `stockproof mock --static` (the spec's examples) or `--dynamic` (generated data). " +
          "A mock that keeps stock is `stockproof serve`.",
      );
    }
    const port = Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535)
      throw new Error(`--port must be 0–65535 (got ${args.port}).`);
    const prism = await startPrism({
      args: { mode: "mock", dynamic: args.dynamic === true },
      port,
      host: args.host,
      onLog: (line) => process.stdout.write(`${line}\n`),
    });
    // Ctrl-C and service managers signal us; Prism must stop with us, and we exit as it does.
    const forward = (signal: NodeJS.Signals) => () => prism.child.kill(signal);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, forward(signal));
    process.stdout.write(`Mocking openapi/openapi.yaml on ${prism.url}\n`);
    const code = await new Promise<number>((resolve) => {
      if (prism.child.exitCode !== null) resolve(prism.child.exitCode);
      prism.child.once("exit", (exitCode, signal) => resolve(exitCode ?? (signal === null ? 0 : 128)));
    });
    process.exitCode = code;
  },
});
