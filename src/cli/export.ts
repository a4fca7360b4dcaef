/**
 * @module
 * `stockproof export`: writes a k6 script or JMeter plan for a scenario that `check` can judge afterwards.
 */

import { UsageError } from "../base/config/errors.js";
import { vocabulary } from "../base/config/vocabulary.js";
import { writeReportFile } from "../base/report-kit/write.js";
import { jmeterPlan, jmeterProperties, jmeterSecrets } from "../verify/export/jmeter.js";
import { k6Script, k6Secrets } from "../verify/export/k6.js";
import { exportedLogins } from "../verify/export/secrets.js";
import { defineCliCommand } from "./command.js";
import { scenarioFrom } from "./run.js";

export const exportCommand = defineCliCommand({
  name: "export",
  description:
    "Write a k6 script or a JMeter plan that runs a scenario's traffic and records what `stockproof check` needs to judge it.",
  options: {
    engine: { type: "positional", required: true, description: "k6 or jmeter" },
    scenario: { type: "positional", required: true, description: "A built-in scenario or a scenario YAML file" },
    phase: { type: "string", valueHint: "NAME", description: "The phase to export", defaultText: "the first" },
    out: { type: "string", valueHint: "FILE", description: "Write to this file", defaultText: "standard output" },
    users: {
      ...vocabulary.users,
      description:
        "Users to log in as, as run takes them; the script holds their names, and reads their passwords from the engine (k6 -e STOCKPROOF_PASSWORD_<i>, JMeter -Jpassword_<i>)",
    },
    client: {
      ...vocabulary.client,
      description:
        "OAuth client, as run takes it; the script holds its id, and reads its secret from the engine (k6 -e STOCKPROOF_CLIENT_SECRET, JMeter -JclientSecret)",
    },
  },
  exitCodes:
    "0 the script or plan was written · 2 bad usage (an engine other than k6 or jmeter, a scenario or phase that does not load)",
  examples: ["stockproof export k6 seed-3-1 --out seed-3-1.k6.js", "stockproof export jmeter races --out races.jmx"],
  async run({ values, from }, io) {
    if (values.engine !== "k6" && values.engine !== "jmeter")
      throw new UsageError(`The engine must be k6 or jmeter (got "${values.engine}").`);
    const scenario = scenarioFrom(values.scenario, values, from);
    const secrets = exportedLogins(scenario);
    let script: ReturnType<typeof k6Script>;
    try {
      script =
        values.engine === "k6"
          ? k6Script(scenario, values.phase, values.scenario)
          : jmeterPlan(scenario, values.phase, values.scenario);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (values.out === undefined) process.stdout.write(script.text);
    else {
      writeReportFile(values.out, script.text);
      io.err(`wrote ${values.out}`);
    }
    for (const caveat of script.caveats) io.err(`note: ${caveat}`);
    if (values.engine === "jmeter") {
      io.err(
        `run: jmeter -n -t ${values.out ?? "plan.jmx"} -l results.jtl -Jhost=HOST -Jport=PORT${jmeterSecrets(secrets)} ${jmeterProperties.join(" ")}`,
      );
      io.err(
        `note: JMeter 2.13 with XStream 1.4.18 or later (Debian 12's packages) loads no plan (ForbiddenClassException): run "java -cp /usr/share/jmeter/bin/ApacheJMeter.jar JMeterLauncher.java" in place of "jmeter", with the launcher from stockproof's repository, examples/jmeter/.`,
      );
    } else
      io.err(
        `run: k6 run -e TARGET=http://HOST:PORT${k6Secrets(secrets)} --out json=results.json ${values.out ?? "script.js"}`,
      );
    io.err(`judge: stockproof check ${values.scenario} --history <results> --target http://HOST:PORT`);
    return 0;
  },
});
