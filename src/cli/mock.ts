/**
 * @module
 * `stockproof mock`: runs Prism's stateless mock of the spec, answers taken from the spec's examples.
 */

import { defaultHost, defaultMockPort } from "../base/config/defaults.js";
import { UsageError } from "../base/config/errors.js";
import type { OptionTable } from "../base/config/options.js";
import { parseIntegerOption } from "../base/config/vocabulary.js";
import { startPrism } from "../verify/contract/prism.js";
import { defineCliCommand } from "./command.js";

const mockOptions = {
  static: { type: "boolean", description: "Answer with the spec's examples (the same answer every time)" },
  dynamic: { type: "boolean", description: "Answer with data generated from the schemas instead" },
  port: {
    type: "string",
    valueHint: "PORT",
    description: "Port to listen on (0: any free port)",
    default: String(defaultMockPort),
  },
  host: { type: "string", valueHint: "HOST", description: "Host to bind", default: defaultHost },
} as const satisfies OptionTable;

export const mockCommand = defineCliCommand({
  name: "mock",
  description:
    "Run Prism's stateless mock of the spec (answers from the spec's examples). For real stock semantics use `stockproof serve` or the MSW handlers.",
  options: mockOptions,
  examples: ["stockproof mock --static", "stockproof mock --dynamic --port 4011"],
  exitCodes: "Prism's own exit code · 2 bad option",
  async run({ values, from }, io) {
    if (!values.static && !values.dynamic) {
      throw new UsageError(
        "Say which mock: `stockproof mock --static` (the spec's examples) or `--dynamic` (generated data). " +
          "A mock that keeps stock is `stockproof serve`.",
      );
    }
    const port = parseIntegerOption(from.port, values.port, 0, 65_535);
    const prism = await startPrism({
      args: { mode: "mock", dynamic: values.dynamic },
      port,
      host: values.host,
      onLog: (line) => io.out(line),
    });
    // Ctrl-C and service managers signal us; Prism must stop with us, and we exit as it does.
    const forward = (signal: NodeJS.Signals) => () => prism.child.kill(signal);
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, forward(signal));
    io.out(`Mocking openapi/openapi.yaml on ${prism.url}`);
    return new Promise<number>((resolve) => {
      if (prism.child.exitCode !== null) resolve(prism.child.exitCode);
      prism.child.once("exit", (exitCode, signal) => resolve(exitCode ?? (signal === null ? 0 : 128)));
    });
  },
});
