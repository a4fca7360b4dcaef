import { defaultAdminKey } from "../config/defaults.js";
import { jtlCodeColumn, jtlNoCode, jtlUserColumn } from "../history/import-jtl.js";
import type { Scenario } from "../scenario/types.js";
import { element, esc, headers, jm, props, regex, sampler, threadGroup } from "./jmx.js";
import type { ExportedScript } from "./k6.js";
import { daySlot, exportedRound, idSlot, phaseToExport } from "./round.js";
import { type ExportedLogins, exportedLogins } from "./secrets.js";

/** The JTL settings the importer needs, as -J properties for `jmeter -n`. */
export const jmeterProperties = [
  "-Jjmeter.save.saveservice.output_format=csv",
  // JMeter 2.13 writes no CSV header by default; the importer reads the columns by name.
  "-Jjmeter.save.saveservice.print_field_names=true",
  "-Jjmeter.save.saveservice.url=true",
  "-Jjmeter.save.saveservice.hostname=true",
  "-Jsampleresult.timestamp.start=true",
  `-Jsample_variables=${jtlCodeColumn},${jtlUserColumn}`,
];

/** The -J properties a JMeter run needs for the secrets the plan does not hold. */
export function jmeterSecrets(logins: ExportedLogins): string {
  return logins.missing
    .map((m) => ` -J${m.user === null ? "clientSecret" : `password_${m.user}`}='${m.label}'`)
    .join("");
}

function userParameter(username: string): string {
  return element(
    "UserParameters",
    "UserParametersGui",
    "user",
    `<collectionProp name="UserParameters.names"><stringProp name="0">${jtlUserColumn}</stringProp></collectionProp>` +
      `<collectionProp name="UserParameters.thread_values"><collectionProp name="1"><stringProp name="2">${esc(username)}</stringProp></collectionProp></collectionProp>` +
      // Evaluated for every sample: "once per iteration" would keep the first case's user for all
      // the cases of a round, and the JTL would name the wrong user for the others.
      props([["bool", "UserParameters.per_iteration", false]]),
  );
}

/**
 * A JMeter test plan (JMX, JMeter 2.13 and later) for one phase of the scenario. Each order
 * request's sample label is sp:<phase>:<round>:<case>; the problem `code` of each answer and the
 * user are saved as JTL columns through sample_variables (see jmeterProperties).
 */
export function jmeterPlan(scenario: Scenario, phaseName?: string, as: string = scenario.name): ExportedScript {
  const { index, phase } = phaseToExport(scenario, phaseName);
  const round = exportedRound(scenario, index, phase);
  const traffic = phase.traffic;
  const n = traffic.rounds;
  const caveats: string[] = [];
  if (scenario.phases.length > 1)
    caveats.push(
      `The scenario has ${scenario.phases.length} phases; this plan runs "${phase.name}" (export the others with --phase).`,
    );
  if (round.steps.some((s) => s.length > 1))
    caveats.push(
      "A step of several cases is sent one case after another by one JMeter thread (JMeter 2.13 has no parallel sampler).",
    );
  if (scenario.users.length > 1 && round.steps.some((s) => s.some((c) => c.user === null)))
    caveats.push(
      `Every round is sent as ${scenario.users[0]?.username} (JMeter 2.13 cannot pick a user by round without a scripting engine); the JTL records each request's user, and check judges the requests as they were sent (its model plans them with the recorded users).`,
    );

  let threads: number;
  let loops: number;
  const timers: string[] = [];
  switch (traffic.shape) {
    case "burst":
      threads = n;
      loops = 1;
      break;
    case "sequential":
      threads = 1;
      loops = n;
      break;
    case "concurrency":
      threads = Math.min(traffic.concurrency ?? 1, n);
      loops = Math.floor(n / threads);
      break;
    case "rate": {
      threads = Math.min(traffic.maxInFlight ?? 50, n);
      loops = Math.floor(n / threads);
      const perMinute = (n / Math.max(1, traffic.durationMs ?? 1000)) * 60_000;
      timers.push(
        element(
          "ConstantThroughputTimer",
          "TestBeanGUI",
          "arrival rate",
          `<intProp name="calcMode">1</intProp><doubleProp><name>throughput</name><value>${perMinute.toFixed(3)}</value><savedValue>0.0</savedValue></doubleProp>`,
        ),
      );
      caveats.push(
        `rate: a Constant Throughput Timer paces ${threads} threads to ${perMinute.toFixed(1)} rounds a minute; JMeter paces per thread, so arrivals are less even than stockproof's schedule.`,
      );
      break;
    }
  }
  if (threads * loops < n)
    caveats.push(
      `${n} rounds do not divide among ${threads} threads: the plan runs ${threads * loops}; the rest show as never sent.`,
    );

  const user = (i: number | null) => scenario.users[i ?? 0] ?? scenario.users[0];
  const usedUsers = [...new Set(round.steps.flat().map((c) => c.user ?? 0))];
  const secrets = exportedLogins(scenario);
  // Each user logs in once, in the set-up thread group, as stockproof's runner does (a thousand
  // threads each logging in would queue a thousand password checks before the burst). Variables
  // are per thread, so the tokens pass to the main threads as JMeter properties: __setProperty
  // runs when the Debug Sampler's label is read.
  const tokenProperty = (i: number) => `stockproof_token_${i}`;
  const logins = usedUsers.map((i) =>
    sampler(
      `login ${user(i)?.username}`,
      "POST",
      "/oauth/token",
      {
        form: [
          ["grant_type", "password"],
          ["username", user(i)?.username ?? ""],
          // Secrets from -J properties, never from the plan (only public demo ones as the default).
          ["password", jm(`__P(password_${i ?? 0},${secrets.passwords[i ?? 0] ?? ""})`)],
          ["client_id", scenario.client.id],
          ["client_secret", jm(`__P(clientSecret,${secrets.clientSecret})`)],
        ],
      },
      [regex(`token_${i}`, '"access_token"\\s*:\\s*"([^"]+)"', "NO_TOKEN")],
    ),
  );
  const publishTokens = element(
    "DebugSampler",
    "TestBeanGUI",
    `publish tokens${usedUsers.map((i) => jm(`__setProperty(${tokenProperty(i)},${jm(`token_${i}`)},)`)).join("")}`,
    props([
      ["bool", "displayJMeterProperties", false],
      ["bool", "displayJMeterVariables", false],
      ["bool", "displaySystemProperties", false],
    ]),
  );
  const prefix = scenario.request.orderIdPrefix === "" ? "" : `${scenario.request.orderIdPrefix}-`;
  const idOf = (key: string) => `${prefix}\${run}-\${round}-${key}`;
  const steps = round.steps.flat().map((c, i) => {
    const u = c.user ?? 0;
    const id = idOf(c.orderKey);
    const path =
      c.kind === "reserve"
        ? `/orders/payment/choice?${(c.queries[u] ?? "").split(idSlot).join(id).split(daySlot).join(jm("__time(yyyyMMdd,)"))}`
        : c.kind === "pay"
          ? `/orders/payment/kcp/payResultTest/${id}`
          : `/orders/payment/cancel/${id}`;
    const children = [
      headers([
        ["Authorization", `Bearer ${jm(`__P(${tokenProperty(u)},NO_TOKEN)`)}`],
        ["Accept", "application/json"],
      ]),
      userParameter(user(u)?.username ?? ""),
      // JMeter 2.13 leaves the variable as it was when nothing matches and the default is empty:
      // a non-empty default keeps one answer's code from showing on the next.
      regex(jtlCodeColumn, '"code"\\s*:\\s*"([A-Za-z_]+)"', jtlNoCode),
      ...(i === 0 && traffic.shape === "burst"
        ? [
            element(
              "SyncTimer",
              "TestBeanGUI",
              "release together",
              props([
                ["int", "groupSize", n],
                ["long", "timeoutInMs", 0],
              ]),
            ),
          ]
        : []),
    ];
    return sampler(`sp:${index}:\${round}:${c.name}`, c.kind === "cancel" ? "DELETE" : "GET", path, {}, children);
  });
  const counter = element(
    "CounterConfig",
    "CounterConfigGui",
    "round",
    props([
      ["string", "CounterConfig.start", "0"],
      ["string", "CounterConfig.end", String(n - 1)],
      ["string", "CounterConfig.incr", "1"],
      ["string", "CounterConfig.name", "round"],
      ["string", "CounterConfig.format", ""],
      ["bool", "CounterConfig.per_user", false],
    ]),
  );
  const main = threadGroup("ThreadGroup", phase.name, threads, loops, [counter, ...timers, ...steps]);

  const setStock = scenario.stockSetup === "admin" && (index === 0 || phase.restock);
  const items = scenario.skus.map((s) => ({
    productStockId: s.productStockId,
    quantity: s.stock,
    productId: s.productId,
    productName: s.productName,
    color: s.color,
    size: s.size,
    salePrice: s.salePrice,
  }));
  const setStockSampler = sampler("set stock", "PUT", "/__admin/stock", { rawBody: JSON.stringify({ items }) }, [
    headers([
      ["Content-Type", "application/json"],
      ["X-Admin-Key", jm(`__P(adminKey,${defaultAdminKey})`)],
    ]),
  ]);
  const setup = threadGroup("SetupThreadGroup", setStock ? "set stock and log in" : "log in", 1, 1, [
    ...(setStock ? [setStockSampler] : []),
    ...logins,
    publishTokens,
  ]);
  const comment = [
    `Generated by stockproof export jmeter ${as}: phase "${phase.name}" of ${scenario.source}.`,
    `Run: jmeter -n -t plan.jmx -l results.jtl -Jhost=HOST -Jport=PORT ${jmeterProperties.join(" ")}`,
    `Judge: stockproof check ${as} --history results.jtl --target http://HOST:PORT`,
    ...caveats.map((c) => `Note: ${c}`),
  ].join("\n");
  const testPlan = element(
    "TestPlan",
    "TestPlanGui",
    `stockproof ${scenario.name}`,
    props([
      ["string", "TestPlan.comments", comment],
      ["bool", "TestPlan.functional_mode", false],
      ["bool", "TestPlan.serialize_threadgroups", true],
    ]) +
      `<elementProp name="TestPlan.user_defined_variables" elementType="Arguments" guiclass="ArgumentsPanel" testclass="Arguments" testname="User Defined Variables" enabled="true"><collectionProp name="Arguments.arguments"><elementProp name="run" elementType="Argument">${props(
        [
          ["string", "Argument.name", "run"],
          ["string", "Argument.value", `jm${jm("__time(,)")}`],
          ["string", "Argument.metadata", "="],
        ],
      )}</elementProp></collectionProp></elementProp>` +
      props([["string", "TestPlan.user_define_classpath", ""]]),
    [setup, main],
  );
  const text = `<?xml version="1.0" encoding="UTF-8"?>
<!--
${esc(comment).replace(/--/g, "- -")}
-->
<jmeterTestPlan version="1.2" properties="2.8" jmeter="2.13">
<hashTree>
${testPlan}
</hashTree>
</jmeterTestPlan>
`;
  return { text, caveats };
}
