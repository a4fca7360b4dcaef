import { defineCommand } from "citty";
import { jmeterPlan, jmeterProperties } from "../export/jmeter.js";
import { k6Script } from "../export/k6.js";
import { writeReportFile } from "../report/write.js";
import { loadOrExit } from "./run.js";

export const exportCommand = defineCommand({
  meta: {
    name: "export",
    description:
      "Write a k6 script or a JMeter plan that runs a scenario's traffic and records what `stockproof check` needs to judge it.",
  },
  args: {
    engine: { type: "positional", required: true, description: "k6 or jmeter" },
    scenario: { type: "positional", required: true, description: "A built-in scenario or a scenario YAML file" },
    phase: { type: "string", description: "The phase to export [default: the first]" },
    out: { type: "string", alias: "o", description: "Write to this file [default: standard output]" },
  },
  run({ args }) {
    if (args.engine !== "k6" && args.engine !== "jmeter") {
      console.error(`The engine must be k6 or jmeter (got "${args.engine}").`);
      process.exit(2);
    }
    const scenario = loadOrExit(args.scenario);
    let script: ReturnType<typeof k6Script>;
    try {
      script = args.engine === "k6" ? k6Script(scenario, args.phase) : jmeterPlan(scenario, args.phase);
    } catch (error) {
      console.error((error as Error).message);
      process.exit(2);
    }
    if (args.out === undefined) {
      process.stdout.write(script.text);
    } else {
      writeReportFile(args.out, script.text);
      console.error(`wrote ${args.out}`);
    }
    for (const caveat of script.caveats) console.error(`note: ${caveat}`);
    if (args.engine === "jmeter")
      console.error(
        `run: jmeter -n -t ${args.out ?? "plan.jmx"} -l results.jtl -Jhost=HOST -Jport=PORT ${jmeterProperties.join(" ")}`,
      );
    else console.error(`run: k6 run -e TARGET=http://HOST:PORT --out json=results.json ${args.out ?? "script.js"}`);
    console.error(`judge: stockproof check ${args.scenario} --history <results> --target http://HOST:PORT`);
  },
});
